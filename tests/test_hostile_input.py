"""Hostile paths and query strings, on public, staff and API pages: never a 500."""

from tests.factories import log_in, make_event, make_registration, make_staff

HOSTILE = ["%00", "%FF", "x" * 3000, "99999999999999999999", "-1", "²", "'", "<script>", "1;DROP"]


def test_hostile_urls_and_queries_never_give_a_500(client, db):
    event = make_event()
    make_registration(event)
    log_in(client, make_staff("admin"))
    bad = []
    urls = [
        "/staff/?{k}={v}",
        "/staff/audit?event={v}&actor={v}",
        "/staff/events/{s}/attendees?q={v}&status={v}&sort={v}&order={v}&page={v}",
        "/staff/events/{s}/attendees.csv?status={v}&sep={v}",
        "/api/v1/events/{s}/search?q={v}",
        "/e/{v}",
        "/t/{v}",
        "/t/{v}/cancel",
        "/e/{v}/event.ics",
        "/t/{v}/invite.ics",
        "/staff/events/{v}",
        "/staff/events/{s}/checkin?x={v}",
    ]
    for template in urls:
        for value in HOSTILE:
            url = template.format(k="x", v=value, s=event.slug)
            response = client.get(url)
            if response.status_code >= 500:
                bad.append((url[:80], response.status_code))
    assert bad == []
