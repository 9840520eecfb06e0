"""Dashboards: figures, registrations per day as server-side SVG, organisations."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.registration import services as registrations
from app.staff.dashboard import queries as stats
from app.staff.dashboard.chart import Bar, bar_chart, nice_ceiling
from tests.factories import make_event, make_registration

PARIS = ZoneInfo("Europe/Paris")


def test_figures_count_each_status_and_the_door(db):
    event = make_event(capacity=10)
    now = datetime.now(UTC)
    make_registration(event, checked_in_at=now)
    make_registration(event)
    make_registration(event, status="waitlisted", waitlist_position=1)
    make_registration(event, status="cancelled")
    make_registration(event, status="cancelled")
    figures = stats.figures([event])[event.id]
    assert (figures.capacity, figures.confirmed, figures.waiting) == (10, 2, 1)
    assert (figures.checked_in, figures.cancelled, figures.seats_left) == (1, 2, 8)


def test_registrations_per_day_fill_the_gaps_in_local_days(db):
    event = make_event()
    # 23:30 UTC on 1 April is already 2 April in Paris.
    make_registration(event, created_at=datetime(2031, 4, 1, 23, 30, tzinfo=UTC))
    make_registration(event, created_at=datetime(2031, 4, 2, 8, 0, tzinfo=UTC))
    make_registration(event, created_at=datetime(2031, 4, 4, 8, 0, tzinfo=UTC), status="cancelled")
    assert stats.registrations_per_day([event.id], PARIS) == [
        (date(2031, 4, 2), 2),
        (date(2031, 4, 3), 0),
        (date(2031, 4, 4), 1),
    ]
    assert len(stats.registrations_per_day([event.id], PARIS, max_days=2)) == 2
    assert stats.registrations_per_day([], PARIS) == []


def test_top_organisations_group_spellings_and_show_the_commonest(db):
    event = make_event()
    for name in ["Ministère de l'Intérieur", "Ministère de l'Intérieur", "MINISTERE INTERIEUR"]:
        make_registration(event, organisation=name)
    make_registration(event, organisation="DINUM")
    make_registration(event, organisation="DINUM", status="cancelled")
    make_registration(event, organisation="DITP", status="cancelled")
    assert stats.top_organisations([event.id]) == [("Ministère de l'Intérieur", 3), ("DINUM", 1)]


def test_nice_ceiling():
    assert [nice_ceiling(n) for n in (0, 1, 2, 3, 7, 10, 11, 42, 150)] == [
        1,
        1,
        2,
        5,
        10,
        10,
        20,
        50,
        200,
    ]


def test_bar_chart_is_accessible_escaped_svg_without_style_or_script():
    bars = [Bar("01/04", 3, "mardi 1er avril : 3 inscriptions"), Bar("02/04", 0, "<b>&</b>")]
    svg = str(bar_chart(bars, chart_id="c", title="Inscriptions <par> jour", description="Total 3"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Inscriptions &lt;par&gt; jour</title>' in svg
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in svg
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    heights = [float(h) for h in re.findall(r'<rect class="chart-bar"[^>]* height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[0] > 0 and heights[1] == 0
    # The tallest bar reaches the top of the scale (3 → scale 5: 60 %).
    assert abs(heights[0] / (220 - 12 - 28) - 0.6) < 0.01


def test_the_dashboard_shows_every_figure_in_tables_and_the_chart(client, db, staff):
    staff("viewer")
    event = make_event(title="Session de printemps", capacity=20)
    make_registration(event, organisation="DINUM", checked_in_at=datetime.now(UTC))
    make_registration(event, organisation="DINUM")
    make_registration(event, status="waitlisted", waitlist_position=1)
    make_registration(event, status="cancelled")
    make_event(title="Session passée", starts_at=datetime.now(UTC) - timedelta(days=30))
    page = client.get("/staff/").text
    row = page.split("Session de printemps", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["2 / 20", "1", "1", "1"]
    assert '<svg class="chart"' in page and "<caption>Inscriptions par jour" in page
    assert "<caption>Inscrits actifs par organisation" in page
    assert re.search(r'<th scope="row">DINUM</th><td class="num">2</td>', page)
    assert "Session passée" in page  # in the past events' table


def test_the_dashboard_moves_when_someone_registers(client, db, staff):
    staff("viewer")
    event = make_event(capacity=5)
    before = client.get("/staff/").text
    assert "0 / 5" in before
    registrations.register(
        event.slug,
        {
            "given_name": "Zoé",
            "family_name": "Nguyễn",
            "email": "zoe@numerique.gouv.fr",
            "organisation": "DINUM",
            "job_title": "Cheffe de projet",
            "phone": None,
            "accessibility_needs": None,
        },
    )
    assert "1 / 5" in client.get("/staff/").text


def test_door_staff_see_only_their_door(client, db, staff):
    staff("checkin")
    make_event(title="Session publiée")
    make_event(title="Brouillon", status="draft")
    page = client.get("/staff/").text
    assert "Accueil des participants" in page and "Session publiée" in page
    assert "Brouillon" not in page and "Confirmés" not in page and "Nouvelle réunion" not in page
