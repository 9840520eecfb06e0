import pytest

from app.registration.organisations import organisation_key


@pytest.mark.parametrize(
    "variant",
    [
        "Ministère de l'Intérieur",
        "MINISTÈRE DE L'INTÉRIEUR",
        "ministere de l’interieur",
        "  Ministère   de  l'Intérieur ",
        "Ministère Intérieur",
        "Min. de l'Intérieur",
        "Ministère-de-l'Intérieur",
    ],
)
def test_variants_of_one_ministry_fold_to_one_key(variant):
    assert organisation_key(variant) == "ministere interieur"


def test_different_organisations_stay_different():
    keys = {
        organisation_key(name)
        for name in ["DGFiP", "DINUM", "Ministère de la Culture", "Ministère des Armées"]
    }
    assert len(keys) == 4
    assert organisation_key("Ministère des Armées") == "ministere armees"
