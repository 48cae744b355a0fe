"""Writes the corpus files that cannot be written as UTF-8 text: the
Windows-1256 pages and letter, and the small pictures.

Run it from anywhere (``python tests/corpus/generate.py``); it writes beside
itself and gives the same bytes every time.  The generated files are
committed, so the tests never run this.

Windows-1256 has no Persian ی (U+06CC) and no Persian digits: an old page
spells ی as Arabic ي (which publish's normalisation makes ی again), and a
browser saving such a page writes the digits as character references
(``&#1777;``).  The text file, which has no references, uses ASCII digits.
ZWNJ is the byte 0x9D.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

NEWS = """\
<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>بازگشایی پل تاریخی پس از سه سال مرمت</title>
</head>
<body bgcolor="#FFFFF0">
<table width="100%" border="0"><tr><td>
<font face="Tahoma" size="4"><b>بازگشایی پل تاریخی پس از سه سال مرمت</b></font>
</td></tr></table>
<p><font face="Tahoma" size="2">گروه شهری ـ پل سنگی قدیمی شهر که از سال ۱۳۹۹ برای مرمت بسته شده بود، روز پنجشنبه با حضور شهروندان و گروهی از کارشناسان میراث فرهنگی دوباره به روی عابران پیاده باز شد.</font></p>
<p>به گفته‌ی سرپرست گروه مرمت، بیش از ۴۰۰ قطعه سنگ فرسوده با سنگ‌هایی از همان معدن قدیمی جایگزین شده است. او افزود: «ما کوشیدیم هیچ سنگی را که هنوز سالم بود از جای خود تکان ندهیم. پل باید همان پلی باشد که پدربزرگ‌های ما از رویش می‌گذشتند، نه پلی تازه با ظاهری کهنه.»</p>
<p>مرمت پل در سه مرحله انجام شد. در مرحله‌ی نخست، پایه‌ها که در اثر سیلاب‌های پی‌درپی آسیب دیده بودند، با ملات آهکی سنتی استوار شدند. در مرحله‌ی دوم، طاق‌ها بررسی و ترک‌های آن‌ها پر شد. مرحله‌ی سوم به کف‌سازی و نورپردازی گذشت. هزینه‌ی کل کار حدود ۲۷ میلیارد ریال برآورد شده که بخشی از آن را خود شهروندان با کمک‌های کوچک پرداخته‌اند.</p>
<p>گشایش پل برای کاسبان محله هم خبر خوبی است. یکی از آن‌ها که مغازه‌ی چای‌فروشی کوچکی کنار پل دارد، گفت در این سه سال مشتری‌هایش به نصف رسیده بودند: «مردم برای دیدن پل می‌آمدند، چای می‌خوردند، عکس می‌گرفتند. وقتی پل را بستند، کوچه هم خاموش شد.»</p>
<p>کارشناسان می‌گویند عبور خودرو از روی پل برای همیشه ممنوع خواهد بود. بار سنگین یکی از دلیل‌های اصلی فرسودگی سازه بوده است. شهرداری قول داده است در هر دو سوی پل پارکینگ کوچکی بسازد تا گردشگران ناچار نباشند خودرو را در کوچه‌های تنگ رها کنند.</p>
<p>یک استاد معماری که در مراسم حاضر بود، مرمت را «نمونه‌ای کم‌یاب از کار درست» خواند، اما هشدار داد که نگه‌داری از پل کاری هرروزه است: «مرمت پایان کار نیست. اگر گیاهان هرز در درز سنگ‌ها ریشه بدوانند یا آب باران راه خود را در طاق‌ها پیدا کند، ده سال دیگر دوباره همین‌جا خواهیم بود.»</p>
<p>پل از ساعت ۶ صبح تا ۱۲ شب به روی عموم باز است. گروه مرمت گزارش کامل کار خود را، همراه با عکس‌های پیش و پس از مرمت، در کتابچه‌ای منتشر خواهد کرد که در کتابخانه‌ی شهر در دسترس خواهد بود.</p>
<p><small>ژاله گودرزی، خبرنگار گروه شهری</small></p>
</body>
</html>
"""

NEWS_META_CHARSET = """\
<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="windows-1256">
<title>جشنواره‌ی کتاب کودک در پارک شهر</title>
</head>
<body>
<h1>جشنواره‌ی کتاب کودک در پارک شهر</h1>
<p>نخستین جشنواره‌ی کتاب کودک و نوجوان روز جمعه در پارک مرکزی شهر برگزار شد و به گفته‌ی برگزارکنندگان بیش از ۳۵۰۰ نفر از آن دیدن کردند. در این جشنواره ۴۲ ناشر کوچک و بزرگ کتاب‌های خود را با تخفیف عرضه کردند.</p>
<p>بخش قصه‌گویی پرطرفدارترین بخش جشنواره بود. قصه‌گوها زیر سایه‌ی چنارهای پارک برای گروه‌های کوچک کودکان قصه‌های کهن را با زبانی تازه روایت کردند. یکی از آن‌ها گفت: «بچه‌ها هنوز هم وقتی قصه به جای ترسناکش می‌رسد، نفسشان را حبس می‌کنند. هیچ چیز جای صدای آدم را نمی‌گیرد.»</p>
<p>در غرفه‌ی دیگری، کودکان با کمک تصویرگران کتاب‌های کوچک خود را ساختند. هر کودک یک برگ کاغذ بزرگ را تا می‌کرد، داستانی کوتاه می‌نوشت و برایش تصویر می‌کشید. پدری که همراه دخترش آمده بود، گفت دخترش تا به حال چنین ذوقی برای نوشتن نشان نداده بود.</p>
<p>برگزارکنندگان می‌گویند هدف جشنواره فقط فروش کتاب نیست. به گفته‌ی دبیر جشنواره، در بسیاری از محله‌های شهر هنوز کتاب‌فروشی وجود ندارد و خانواده‌ها فرصت کمی برای ورق زدن کتاب پیش از خرید دارند. او افزود که سال آینده جشنواره در سه پارک دیگر هم برگزار خواهد شد.</p>
<p>بخش پایانی جشنواره به گفت‌وگوی نویسندگان با نوجوانان اختصاص داشت. نوجوانان پرسش‌های خود را روی کاغذهای رنگی نوشته بودند و نویسندگان یکی‌یکی به آن‌ها پاسخ دادند. پرتکرارترین پرسش این بود که «از کجا بدانم داستانم خوب است؟» و یکی از نویسندگان پاسخ داد: «آن را بلند بخوان. هر جا خودت حوصله‌ات سر رفت، خواننده هم حوصله‌اش سر می‌رود.»</p>
<p>برای بزرگ‌ترها هم برنامه‌هایی در نظر گرفته شده بود. در چادری بزرگ کنار ورودی پارک، کارشناسان ادبیات کودک درباره‌ی انتخاب کتاب مناسب برای هر سن با پدرها و مادرها گفت‌وگو کردند. به گفته‌ی آنان، بهترین کتاب برای کودک کتابی است که پدر و مادر هم از خواندن بلندش لذت ببرند، زیرا کودک شوق را از صدای خواننده می‌گیرد، نه از جلد کتاب.</p>
<p>کتابخانه‌ی شهر هم در این جشنواره غرفه‌ای داشت و ۲۱۰ کودک در همان روز عضو کتابخانه شدند. مسئول غرفه گفت این رقم از شمار عضوهای تازه‌ی یک ماه کامل بیشتر است.</p>
</body>
</html>
"""

LETTER = """\
دوست عزیزم، سلام

نامه‌ات را دیروز گرفتم و از خواندنش خیلی خوشحال شدم. مدت‌ها بود که از تو خبری نداشتم و نگران بودم که شاید در آن شهر شلوغ گرفتار کار شده باشی و ما را فراموش کرده باشی. حالا می‌بینم که نه تنها فراموشمان نکرده‌ای، بلکه برای پاییز هم برنامه‌ی سفر چیده‌ای.

این‌جا همه چیز مثل همیشه است. باغ پشت خانه امسال انار زیادی داده و مادر هر روز صبح چند تا از آن‌ها را دانه می‌کند و در کاسه‌ای بزرگ روی میز می‌گذارد. گربه‌ی همسایه هنوز هر عصر روی دیوار می‌نشیند و به گنجشک‌ها خیره می‌شود، هرچند تا امروز حتی یکی را هم نگرفته است.

کتابی که سفارش داده بودی پیدا کردم. چاپ قدیمی‌اش را در یک کتاب‌فروشی کوچک نزدیک بازار دیدم. صاحب مغازه پیرمردی بود که گفت این نسخه را 30 سال پیش از کتابخانه‌ی یک معلم بازنشسته خریده است. چند صفحه‌اش یادداشت‌هایی با مداد دارد که به نظرم از خود کتاب جالب‌ترند. آن را برایت نگه می‌دارم تا وقتی آمدی با هم ورقش بزنیم.

درباره‌ی پیشنهادت برای نوشتن یک کتاب مشترک هم خیلی فکر کردم. راستش اول ترسیدم، چون هیچ‌کدام از ما تا به حال کتابی ننوشته‌ایم. اما هرچه بیشتر فکر کردم، بیشتر به نظرم رسید که این همان کاری است که سال‌ها دلمان می‌خواست و جراتش را نداشتیم. اگر هر کدام هفته‌ای یک فصل کوتاه بنویسیم، تا بهار چیزی در دست داریم که می‌شود به دیگران نشانش داد.

یک خواهش هم دارم. وقتی می‌آیی، آن دفترچه‌ی سبز را که در سفر شمال با خودمان برده بودیم بیاور. یادداشت‌های آن سفر را لازم دارم. گمانم بیشتر آن‌ها را تو نوشته بودی و من فقط نقشه کشیده بودم.

ژاله و گلناز هم سلام می‌رسانند. گلناز امسال به مدرسه رفته و هر شب با افتخار مشق‌هایش را نشانمان می‌دهد. می‌گوید وقتی بزرگ شد می‌خواهد مثل تو مهندس پل شود.

منتظر نامه‌ی بعدی‌ات هستم. اگر تاریخ آمدنت قطعی شد، خبرم کن تا اتاق بالا را آماده کنیم. این بار دیگر بهانه‌ای برای زود رفتن نپذیرفتنی است.

با مهر فراوان،
پرویز

تاریخ: 14 مهر
"""


def cp1256(text: str, html: bool) -> bytes:
    """As an old Windows editor saves it: Persian ی as Arabic ي; in HTML the
    characters 1256 lacks (Persian digits) as character references."""
    text = text.replace("\u06cc", "\u064a").replace("\n", "\r\n")
    return text.encode("cp1256", errors="xmlcharrefreplace" if html else "strict")


# --- pictures: tiny real PNG files, written by hand (no Pillow needed) ------------------

def png(width: int, height: int, colour: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    """An RGB PNG: a plain field with a diagonal stripe (so it is not blank)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(stripe if abs(x * height // max(width, 1) - y) < 3 else colour)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def jpeg(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    from io import BytesIO

    from PIL import Image, ImageDraw
    img = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(img).ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=(250, 240, 200))
    out = BytesIO()
    img.save(out, "JPEG", quality=60)
    return out.getvalue()


PICTURES = {
    "faq-files/reading-room.png": lambda: png(320, 120, (120, 90, 60), (230, 220, 200)),
    "images/a.png": lambda: png(800, 200, (40, 90, 140), (250, 250, 250)),          # wide
    "images/sub/c.png": lambda: png(120, 600, (60, 130, 70), (240, 240, 240)),      # tall
    "images/b.jpg": lambda: jpeg(300, 200, (150, 60, 40)),
    "images/my photo.png": lambda: png(200, 150, (200, 160, 40), (30, 30, 30)),
    "images/word-map.png": lambda: png(400, 240, (90, 90, 160), (255, 255, 255)),
    "images/word-well.jpg": lambda: jpeg(240, 320, (70, 110, 120)),
    # carpets.md: photographs as a camera gives them, wider and taller than an A5 page
    "images/loom.jpg": lambda: jpeg(1200, 800, (140, 50, 45)),
    "images/loom-tall.jpg": lambda: jpeg(600, 1500, (60, 70, 120)),
    "images/dye.png": lambda: png(760, 480, (170, 110, 40), (250, 235, 200)),
}


def main() -> None:
    (HERE / "old-page-1256.html").write_bytes(cp1256(NEWS, html=True))
    (HERE / "old-page-meta-charset.html").write_bytes(cp1256(NEWS_META_CHARSET, html=True))
    (HERE / "letter-1256.txt").write_bytes(cp1256(LETTER, html=False))
    for rel, make in PICTURES.items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())


if __name__ == "__main__":
    main()
