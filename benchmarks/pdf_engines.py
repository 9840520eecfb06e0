"""Which PDF engine for the sign-in sheet: the three the issue named, against ours.

    python benchmarks/pdf_engines.py [--rows 1000] [--engines ours fpdf2 weasyprint reportlab]

Each engine builds the same sheet (row number, family name, given name, organisation, an
empty signature cell) of names in every script we print (Latin with Polish and Vietnamese,
Greek, Cyrillic, Arabic, Hebrew, Chinese, Japanese, Korean, Devanagari), in a fresh process:
time, then pdftotext's read-back of four names that need shaping or right-to-left order.
fpdf2, WeasyPrint and ReportLab are not dependencies of the application: install them in a
scratch virtual environment beside the requirements (`pip install fpdf2==2.8.9
weasyprint==70.0 reportlab==5.1.0`); an engine that is not installed is skipped.
"""

import argparse
import html
import json
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOTO = Path("/usr/share/fonts/truetype/noto")
FONTS = {
    "NotoSans": NOTO / "NotoSans-Regular.ttf",
    "NotoSansArabic": NOTO / "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew": NOTO / "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari": NOTO / "NotoSansDevanagari-Regular.ttf",
    "NotoSansCJK": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}
NAMES = [
    ("Martin", "Camille", "Ministère de l'Intérieur"),
    ("Żółć-Brzęczyszczykiewicz", "Grzegorz", "Ambasada RP"),
    ("Nguyễn", "Thị Minh Khai", "Đại sứ quán"),
    ("Παπαδόπουλος", "Γιώργος", "Πρεσβεία"),
    ("Иванова", "Анна", "Посольство"),
    ("عبد الله", "محمد", "سفارة"),
    ("כהן", "דוד", "שגרירות"),
    ("王", "小明", "中国大使馆"),
    ("山田", "太郎", "日本大使館"),
    ("김", "민준", "대한민국 대사관"),
    ("शर्मा", "अमित", "भारतीय दूतावास"),
    ("Lefèvre", "Élodie", "Direction générale des Finances publiques"),
]
#: Read back from each engine's PDF: joined Arabic, Hebrew, Devanagari, Chinese.
CHECKED = ["عبد الله", "כהן", "शर्मा", "中国大使馆"]
WIDTHS_MM = (11, 38, 32, 45, 54)


def rows(count: int) -> list[tuple[str, str, str]]:
    return [NAMES[n % len(NAMES)] for n in range(count)]


def ours(data) -> bytes:
    from app import create_app
    from app.exports.pdf import sign_in_sheet_pdf
    from app.exports.rows import AttendeeRow, EventHeading
    from config import TestingConfig

    with create_app(TestingConfig).test_request_context():
        people = [
            AttendeeRow(
                "c", family, given, "e", organisation, "", None, None, "confirmed", None, None, None
            )  # fmt: skip
            for family, given, organisation in data
        ]
        heading = EventHeading("Réunion", "vendredi 16 avril 2027", "20 avenue de Ségur")
        start = time.perf_counter()
        pdf = sign_in_sheet_pdf(heading, people)
        return pdf, time.perf_counter() - start


def fpdf2(data) -> bytes:
    from fpdf import FPDF, FontFace

    start = time.perf_counter()
    pdf = FPDF(format="A4")
    for name, path in FONTS.items():
        pdf.add_font(name, fname=str(path))
    pdf.set_font("NotoSans", size=9.5)
    pdf.set_fallback_fonts([name for name in FONTS if name != "NotoSans"])
    pdf.set_text_shaping(True)
    pdf.add_page()
    with pdf.table(col_widths=WIDTHS_MM, line_height=5, headings_style=FontFace()) as table:
        table.row(["N°", "Nom", "Prénom", "Organisation", "Signature"])
        for number, (family, given, organisation) in enumerate(data, start=1):
            table.row([str(number), family, given, organisation, ""])
    return bytes(pdf.output()), time.perf_counter() - start


def weasyprint(data) -> bytes:
    from weasyprint import HTML

    start = time.perf_counter()
    body = "".join(
        f"<tr><td>{n}</td><td>{html.escape(f)}</td><td>{html.escape(g)}</td>"
        f"<td>{html.escape(o)}</td><td></td></tr>"
        for n, (f, g, o) in enumerate(data, start=1)
    )
    document = (
        "<style>@page{size:A4;margin:15mm}body{font:9.5pt 'Noto Sans','Noto Sans Arabic',"
        "'Noto Sans Hebrew','Noto Sans Devanagari','Noto Sans CJK SC'}table{border-collapse:"
        "collapse}td{border:.5pt solid grey;padding:8pt 6pt;unicode-bidi:plaintext}</style>"
        f"<table><thead><tr><th>N°<th>Nom<th>Prénom<th>Organisation<th>Signature</thead>"
        f"<tbody>{body}</tbody></table>"
    )
    return HTML(string=document).write_pdf(), time.perf_counter() - start


def reportlab(data) -> bytes:
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

    start = time.perf_counter()
    # ReportLab reads TrueType outlines only: no Noto Sans CJK (CFF); one font per paragraph.
    for name in ("NotoSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari"):
        pdfmetrics.registerFont(TTFont(name, str(FONTS[name]), shapable=True))

    def cell(text):
        script = "NotoSans"
        for char in text:
            if "\u0600" <= char <= "\u06ff":
                script = "NotoSansArabic"
            elif "\u0590" <= char <= "\u05ff":
                script = "NotoSansHebrew"
            elif "\u0900" <= char <= "\u097f":
                script = "NotoSansDevanagari"
        return Paragraph(html.escape(text), ParagraphStyle("c", fontName=script, fontSize=9.5))

    table = [[str(n), cell(f), cell(g), cell(o), ""] for n, (f, g, o) in enumerate(data, 1)]
    buffer = io.BytesIO()
    widths = [width * 72 / 25.4 for width in WIDTHS_MM]
    SimpleDocTemplate(buffer).build([LongTable(table, colWidths=widths, repeatRows=0)])
    return buffer.getvalue(), time.perf_counter() - start


ENGINES = {"ours": ours, "fpdf2": fpdf2, "weasyprint": weasyprint, "reportlab": reportlab}


def measure(engine: str, count: int) -> dict:
    try:
        pdf, seconds = ENGINES[engine](rows(count))
    except ImportError as error:
        return {"engine": engine, "skipped": str(error)}
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    found = [
        name
        for name in CHECKED
        if name.replace(" ", "") in text or name[::-1].replace(" ", "") in text  # fmt: skip
    ]
    return {"engine": engine, "seconds": seconds, "bytes": len(pdf), "read_back": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.rows)))
        return
    for engine in args.engines:
        done = subprocess.run(
            [sys.executable, __file__, "--measure", engine, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{engine}: failed\n{done.stderr[-2000:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if "skipped" in result:
            print(f"{engine:<10} not installed ({result['skipped']})")
            continue
        print(
            f"{engine:<10} {args.rows} rows: {result['seconds']:6.2f} s,"
            f" {result['bytes'] / 1024:5.0f} KiB, read back {len(result['read_back'])}/"
            f"{len(CHECKED)}: {', '.join(result['read_back']) or '-'}"
        )


if __name__ == "__main__":
    main()
