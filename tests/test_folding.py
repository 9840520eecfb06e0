import pytest

from app.folding import organisation_key


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


def test_letters_unicode_does_not_decompose_fold_too():
    assert organisation_key("Urząd Miasta Łodzi") == organisation_key("URZAD MIASTA LODZI")
    assert organisation_key("Œuvre des Armées") == "oeuvre armees"


def test_names_in_other_scripts_keep_their_letters():
    assert organisation_key("Υπουργείο Εσωτερικών") == "υπουργειο εσωτερικων"
    assert organisation_key("Υπουργείο Εσωτερικών") != organisation_key("Υπουργείο Υγείας")
