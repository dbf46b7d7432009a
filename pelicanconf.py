"""Site settings, read by Pelican and by publish.py.

Documents are read by our own plugin, not by Pelican: its Markdown reader is
switched off below, so Pelican's reserved ``status`` key never meets ours and only
the public corpus reaches a template.
"""

SITENAME = "国家知识产权局政府信息公开（演示站点）"
SITE_NOTICE = "本站点内容为演示用摘要，非官方发布文本。"
SITEURL = ""
SITE_LANGUAGE = "zh"  # interface labels: "zh" or "en"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"

PATH = "content"
THEME = "themes/disclosure"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["disclosure_pelican"]

# Pelican reads no content itself: every page comes from the disclosure plugin.
READERS = {"md": None, "markdown": None, "mkd": None, "mdown": None, "html": None, "htm": None, "rst": None}
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []  # never copy content/ to the output: it holds non-public documents
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARTICLE_SAVE_AS = ""
PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
RELATIVE_URLS = True
DELETE_OUTPUT_DIRECTORY = False  # publish.py builds into a fresh folder and swaps it in
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The disclosure core (see README, "Configuration")
ORGAN_CODE = "SIPO-DEMO"
INDEX_NUMBER_PATTERN = "{organ}/{year}-{serial:05d}"
INTERPRETATION_MAX_LAG_DAYS = 3
EXPIRY_WINDOW_DAYS = 183
DISCLOSURE_SEARCH = True  # build the whoosh index and the static search under search/
DISCLOSURE_PER_PAGE = 20  # documents per list page
