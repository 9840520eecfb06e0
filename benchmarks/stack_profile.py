"""Where a request of benchmarks/stack.py spends its time, in one process (cProfile).

    python benchmarks/stack_profile.py --database-url postgresql://postgres@127.0.0.1:5432/bench \
        [--path page|registration|checkin] [-n 300] [--top 25]

The same requests as the wrk runs (a new visitor's event page, a registration with a unique
e-mail, a check-in of a fresh ticket), sent through Flask's test client to the app in
production settings on a rebuilt database: the mean time per request without the profiler,
then the functions that take the most time with it.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import stack  # noqa: E402
from tests.burst import CSRF_INPUT  # noqa: E402


def requests(app, path: str, seeded: dict, count: int):
    """Return a function sending the `index`-th request of a path."""
    if path == "page":
        return lambda index: app.test_client().get("/e/bench-page")
    if path == "checkin":
        headers = {"Authorization": f"Bearer {seeded['token']}"}
        url = "/api/v1/events/bench-porte/checkins"
        return lambda index: app.test_client().post(
            url, json={"code": seeded["codes"][index]}, headers=headers
        )
    client = app.test_client()
    page = client.get("/e/bench-inscription-0")
    csrf = CSRF_INPUT.search(page.get_data(as_text=True)).group(1)
    run = uuid.uuid4().hex[:8]

    def register(index: int):
        form = {
            "csrf_token": csrf,
            "given_name": "Camille",
            "family_name": "Charge",
            "email": f"bench.{run}.{index}@numerique.gouv.fr",
            "organisation": "Administration centrale",
            "job_title": "Cheffe de projet",
            "submission_key": f"{run}{index:024x}",
        }
        return client.post("/e/bench-inscription-0", data=form)

    return register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to rebuild")
    parser.add_argument("--redis-url")
    parser.add_argument("--path", choices=stack.PATHS, default="page")
    parser.add_argument("-n", "--count", type=int, default=300)
    parser.add_argument("--top", type=int, default=25, help="0: time only, no profile")
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    args.rounds, args.with_worker, args.port = 1, False, 5000
    env = stack.environment(args, args.port)
    stack.reset_database(env)
    seeded = stack.seed(args, env, 3 * args.count + 50)
    os.environ.update(env)
    from app import create_app

    app = create_app()
    send = requests(app, args.path, seeded, args.count)
    expected = {"page": 200, "registration": 303, "checkin": 200}[args.path]
    for index in range(20):  # warm up: templates, connections
        assert send(index).status_code == expected
    began = time.perf_counter()
    for index in range(20, 20 + args.count):
        send(index)
    mean = (time.perf_counter() - began) / args.count
    print(f"{args.path}: {mean * 1000:.2f} ms per request in-process (n={args.count})")
    if not args.top:
        return
    profile = cProfile.Profile()
    profile.enable()
    for index in range(20 + args.count, 20 + 2 * args.count):
        send(index)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
