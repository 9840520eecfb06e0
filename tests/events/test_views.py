from datetime import UTC, datetime, timedelta

from app.models import EventStatus
from tests.factories import make_event, make_registration


def test_index_lists_upcoming_published_events_only(client, db):
    make_event(title="Session publiée")
    make_event(title="Brouillon", status=EventStatus.DRAFT)
    make_event(title="Déjà passée", starts_at=datetime.now(UTC) - timedelta(days=3))
    page = client.get("/").text
    assert "Session publiée" in page
    assert "Brouillon" not in page
    assert "Déjà passée" not in page


def test_index_without_events_says_so(client, db):
    assert "Aucune réunion" in client.get("/").text


def test_event_page_shows_the_practical_details(client, db):
    event = make_event(starts_at=datetime(2030, 4, 16, 12, 0, tzinfo=UTC), capacity=150)
    make_registration(event)
    response = client.get(f"/e/{event.slug}")
    assert response.status_code == 200
    page = response.text
    assert "mardi 16 avril 2030, de 14 h à 16 h" in page
    assert "20 avenue de Ségur" in page and "75007 Paris" in page
    assert "https://www.openstreetmap.org/search?query=20%20avenue%20de%20S%C3%A9gur" in page
    assert "DINSIC et DITP" in page and "mailto:equipe-ami-ia@data.gouv.fr" in page
    assert "149 places restantes" in page
    assert 'name="csrf_token"' in page


def test_event_page_form_has_labels_and_autocomplete_tokens(client, db):
    page = client.get(f"/e/{make_event().slug}").text
    for name, token in [
        ("given_name", "given-name"),
        ("family_name", "family-name"),
        ("email", "email"),
        ("organisation", "organization"),
        ("job_title", "organization-title"),
        ("phone", "tel"),
    ]:
        assert f'<label class="fr-label" for="{name}">' in page
        assert f'autocomplete="{token}"' in page
    # No consent box (the basis is the public-interest mission): a notice by the button.
    assert 'type="checkbox"' not in page and 'name="consent"' not in page
    assert 'aria-describedby="privacy-notice"' in page and 'href="/confidentialite"' in page
    assert "article 6-1-e du RGPD" in page


def test_event_map_link_uses_coordinates_when_known(client, db):
    event = make_event(latitude=48.85, longitude=2.31)
    assert "mlat=48.85&amp;mlon=2.31" in client.get(f"/e/{event.slug}").text


def test_unknown_and_draft_events_are_a_french_404(client, db):
    draft = make_event(status=EventStatus.DRAFT)
    for url in ["/e/inconnue", f"/e/{draft.slug}", "/e/%00%ff", "/e/Majuscules", "/e/" + "a" * 81]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.text


def test_home_list_shows_date_place_and_seats(client, db):
    now = datetime.now(UTC)
    make_event(title="Ouverte", capacity=10)
    full_with_line = make_event(title="Avec liste", capacity=1)
    make_registration(full_with_line)
    full = make_event(title="Sans liste", capacity=1, waitlist_enabled=False)
    make_registration(full)
    make_event(title="Bientôt", registration_opens_at=now + timedelta(days=1))
    make_event(title="Close", registration_closes_at=now - timedelta(hours=1))
    page = client.get("/").text
    items = page.split('<li class="fr-col-12 fr-col-md-6">')[1:]
    cards = {
        title: next(item for item in items if f">{title}</a>" in item)
        for title in ["Ouverte", "Avec liste", "Sans liste", "Bientôt", "Close"]
    }
    assert "10 places restantes" in cards["Ouverte"]
    assert ">Liste d'attente<" in cards["Avec liste"]
    assert ">Complet<" in cards["Sans liste"]
    assert "Inscriptions bientôt ouvertes" in cards["Bientôt"]
    assert "Inscriptions closes" in cards["Close"]
    for card in cards.values():
        assert "20 avenue de Ségur, 75007 Paris" in card
        assert "<time datetime=" in card


def test_event_page_offers_the_calendar_and_the_link(client, db):
    event = make_event()
    page = client.get(f"/e/{event.slug}").text
    assert f'href="/e/{event.slug}/event.ics"' in page
    assert "https://calendar.google.com/calendar/render?" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert f'data-copy="http://accueil.test/e/{event.slug}"' in page
