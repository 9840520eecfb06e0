"""Fire N registrations from C concurrent clients at a running Accueil, over real HTTP.

    python benchmarks/register_burst.py --base-url http://127.0.0.1:5000 --slug SLUG \
        -n 300 -c 50 --database-url postgresql://postgres@127.0.0.1:5432/bench --workers 4

Each registration is a browser-like visitor: it opens the event page (session cookie
and CSRF token), then all visitors post their form at the same instant. The script
prints confirmed / waiting / errors / throughput / p50 / p99, then the same figures
for a bare Flask endpoint doing one INSERT into the same database, served by gunicorn
with the same number of workers in the same run: the ratio is the figure to compare.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.burst import Browser, BurstResult, burst, register_burst, serve  # noqa: E402


def ticket_statuses(base_url: str, ticket_paths: list[str]) -> dict[str, int]:
    """Read each ticket page and count confirmed and waiting registrations."""
    counts = {"confirmed": 0, "waiting": 0, "other": 0}
    browser = Browser(base_url)
    for ticket in ticket_paths:
        body = browser.request("GET", ticket).body
        if "Votre inscription est confirmée" in body:
            counts["confirmed"] += 1
        elif "liste d&#39;attente, en position" in body or "liste d'attente, en position" in body:
            counts["waiting"] += 1
        else:
            counts["other"] += 1
    return counts


def bare_burst(database_url: str, workers: int, count: int, concurrency: int) -> BurstResult:
    """The baseline: the same burst against a bare endpoint doing one INSERT."""
    process, url = serve("benchmarks.bare_app:app", database_url, workers, None, "--preload")
    try:
        calls = [
            lambda i=i: Browser(url).request("POST", "/insert", {"email": f"bare{i}@x.fr"})
            for i in range(count)
        ]
        return burst(calls, concurrency, ok=lambda r: r.status == 201)
    finally:
        process.terminate()
        process.wait(10)


def describe(name: str, result: BurstResult) -> str:
    return (
        f"{name:<14} requests={len(result.latencies):>5} errors={len(result.errors):>3} "
        f"throughput={result.throughput:8.1f}/s p50={result.p50 * 1000:7.1f} ms "
        f"p99={result.p99 * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--slug", required=True)
    parser.add_argument("-n", "--count", type=int, default=300)
    parser.add_argument("-c", "--concurrency", type=int, default=50)
    parser.add_argument("--database-url", help="also measure the bare INSERT baseline here")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers of the baseline")
    args = parser.parse_args()

    result, tickets, _emails = register_burst(
        args.base_url, args.slug, args.count, args.concurrency
    )
    counts = ticket_statuses(args.base_url, tickets)
    print(
        f"registrations  confirmed={counts['confirmed']} waiting={counts['waiting']} "
        f"errors={len(result.errors)}"
    )
    print(describe("registration", result))
    if args.database_url:
        bare = bare_burst(args.database_url, args.workers, args.count, args.concurrency)
        print(describe("bare INSERT", bare))
        ratio = result.throughput / bare.throughput
        print(f"ratio          registration/bare throughput = {ratio:.2f}")


if __name__ == "__main__":
    main()
