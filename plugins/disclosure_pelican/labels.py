"""Interface labels of the site, Chinese by default; ``SITE_LANGUAGE = "en"`` selects English.

Every string a template prints that does not come from a document is here, so the
two languages stay complete: a test checks both dictionaries have the same keys.
Labels ending in ``_fmt`` are ``str.format`` patterns.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        # site furniture
        "colon": "：", "lparen": "（", "rparen": "）", "home": "首页", "skip": "跳到正文", "main_nav": "主导航", "breadcrumb": "当前位置",
        "search": "搜索", "search_label": "搜索本站文件", "search_placeholder": "标题、文号或关键词",
        "search_submit": "搜索", "search_title": "搜索",
        "search_nojs": "全文检索需要浏览器启用 JavaScript。您也可以通过下列目录浏览全部文件：",
        "footer_data": "开放数据", "data_export": "数据下载", "feeds": "订阅（Atom）", "feed_all": "全部文件订阅",
        "sitemap": "网站地图", "as_of": "有效性计算日期", "demo": "演示内容",
        "page_not_found": "页面不存在", "page_not_found_text": "您访问的页面不存在或已被移动。请从首页或下列入口查找所需文件。",
        # registers, lists, catalogue
        "register": "现行有效规范性文件和规章库", "register_short": "现行文件库",
        "register_intro_fmt": "截至{date}，现行有效（含部分失效）的规章和行政规范性文件共 {count} 件。",
        "register_upcoming": "已公布尚未施行", "register_repealed": "已废止文件", "register_expired": "已失效文件",
        "register_repealed_intro": "以下规章和行政规范性文件已被废止，保留原文供查阅。",
        "register_expired_intro": "以下规章和行政规范性文件有效期已届满，保留原文供查阅。",
        "filter": "筛选", "filter_all": "全部", "filter_reset": "清除筛选", "filter_year": "发布年份",
        "filter_count_fmt": "显示 {shown} / {total} 件",
        "filter_nojs": "按条件浏览：",
        "catalogue": "主动公开目录", "catalogue_intro": "本站主动公开的全部信息类别及文件数量。",
        "by_type": "按信息类别", "by_topic": "按主题分类", "by_issuer": "按发文机关", "by_year": "按发布年份",
        "by_status": "按有效性", "count": "数量", "category": "类别", "count_fmt": "{count} 件",
        "list_count_fmt": "共 {count} 件", "page_fmt": "第 {page} / {pages} 页", "pagination": "分页",
        "prev_page": "上一页", "next_page": "下一页", "more": "更多", "year_fmt": "{year}年",
        "all_documents": "全部文件", "documents": "文件", "latest": "最新文件", "no_documents": "暂无文件。",
        "guide": "政府信息公开指南", "guide_short": "公开指南", "ledger": "公开台账",
        "latest_report": "最新年度报告", "quick_links": "常用入口",
        # metadata box
        "metadata": "文件信息", "index_number": "索引号", "topic": "主题分类", "issuer": "发文机关",
        "written": "成文日期", "title": "标题", "doc_number": "发文字号", "published": "发布日期",
        "effective": "施行日期", "expires": "有效期至", "status": "有效性", "type": "类别",
        "version": "版本", "version_fmt": "第{n}版", "version_of_fmt": "第{n}版（共{total}版）",
        "status_reason": "说明",
        # document page
        "contents": "目录", "body": "正文", "versions": "版本历史", "change_note": "修改说明",
        "compare": "与上一版比较", "compare_title": "版本比较", "interpretations": "政策解读",
        "interprets": "解读对象", "repeals": "本文件废止的文件", "repealed_by": "废止本文件的文件",
        "amends": "本文件修改的文件", "amended_by": "修改本文件的文件", "comment_period": "征求意见期",
        "consultation_result": "意见采纳情况", "result_of": "征求意见稿", "related": "相关文件",
        "in_force_version": "现行版本", "this_version": "本版本", "current_marker": "（当前查看）",
        "period_fmt": "{start} 至 {end}", "comment_open": "正在征求意见", "comment_closed": "征求意见已结束",
        "comment_pending": "尚未开始征求意见", "result_pending": "意见采纳情况尚未公布。",
        "banner_repealed": "本文件已废止", "banner_expired": "本文件已失效", "banner_amended": "本版本已被修改",
        "banner_not_yet_effective": "本文件尚未生效", "banner_version_pending": "本版本尚未施行",
        "banner_partially_invalid": "本文件部分失效", "see_repealer": "废止文件：",
        "see_in_force": "查看现行版本", "see_pending_fmt": "新版本（第{n}版）已公布，自{date}起施行：",
        "amended_note": "本文件已经修改，现行内容以修改后的规定为准：", "see_version": "查看",
        # comparison
        "inserted": "插入：", "deleted": "删除：", "legend": "图例",
        "legend_ins": "新增的文字加下划线", "legend_del": "删除的文字加删除线",
        "stats_fmt": "新增 {ins} 字，删除 {dele} 字", "compare_fmt": "第{old}版 → 第{new}版",
        "no_changes": "两个版本的正文相同。",
    },
    "en": {
        "colon": ": ", "lparen": " (", "rparen": ")", "home": "Home", "skip": "Skip to content", "main_nav": "Main navigation", "breadcrumb": "You are here",
        "search": "Search", "search_label": "Search documents", "search_placeholder": "Title, number or keyword",
        "search_submit": "Search", "search_title": "Search",
        "search_nojs": "Full-text search needs JavaScript. You can also browse every document through these lists:",
        "footer_data": "Open data", "data_export": "Data export", "feeds": "Feeds (Atom)", "feed_all": "Feed of all documents",
        "sitemap": "Sitemap", "as_of": "Status as of", "demo": "Demonstration content",
        "page_not_found": "Page not found", "page_not_found_text": "The page does not exist or has moved. Start from the home page or one of these lists.",
        "register": "Register of normative documents and regulations in force", "register_short": "Register in force",
        "register_intro_fmt": "On {date}, {count} regulations and normative documents are in force (including partially invalid ones).",
        "register_upcoming": "Published, not yet in force", "register_repealed": "Repealed documents", "register_expired": "Expired documents",
        "register_repealed_intro": "These regulations and normative documents have been repealed; their text stays available.",
        "register_expired_intro": "These regulations and normative documents have expired; their text stays available.",
        "filter": "Filter", "filter_all": "All", "filter_reset": "Clear filters", "filter_year": "Year published",
        "filter_count_fmt": "Showing {shown} of {total}",
        "filter_nojs": "Browse by:",
        "catalogue": "Catalogue of proactively disclosed information", "catalogue_intro": "Every category of information this site publishes, with counts.",
        "by_type": "By category", "by_topic": "By topic", "by_issuer": "By issuer", "by_year": "By year published",
        "by_status": "By status", "count": "Count", "category": "Category", "count_fmt": "{count}",
        "list_count_fmt": "{count} documents", "page_fmt": "Page {page} of {pages}", "pagination": "Pages",
        "prev_page": "Previous page", "next_page": "Next page", "more": "More", "year_fmt": "{year}",
        "all_documents": "All documents", "documents": "Documents", "latest": "Latest documents", "no_documents": "No documents yet.",
        "guide": "Guide to government information disclosure", "guide_short": "Disclosure guide", "ledger": "Disclosure ledger",
        "latest_report": "Latest annual report", "quick_links": "Quick links",
        "metadata": "Document information", "index_number": "Index number", "topic": "Topic", "issuer": "Issuer",
        "written": "Date written", "title": "Title", "doc_number": "Document number", "published": "Published",
        "effective": "Effective", "expires": "Valid until", "status": "Status", "type": "Type",
        "version": "Version", "version_fmt": "Version {n}", "version_of_fmt": "Version {n} of {total}",
        "status_reason": "Reason",
        "contents": "Contents", "body": "Text", "versions": "Version history", "change_note": "Change note",
        "compare": "Compare with previous version", "compare_title": "Version comparison", "interpretations": "Interpretations",
        "interprets": "Interprets", "repeals": "Repeals", "repealed_by": "Repealed by",
        "amends": "Amends", "amended_by": "Amended by", "comment_period": "Comment period",
        "consultation_result": "Consultation result", "result_of": "Draft", "related": "Related documents",
        "in_force_version": "Version in force", "this_version": "This version", "current_marker": " (viewing)",
        "period_fmt": "{start} to {end}", "comment_open": "open for comment", "comment_closed": "comment period closed",
        "comment_pending": "comment period not yet open", "result_pending": "The consultation result has not been published yet.",
        "banner_repealed": "This document has been repealed", "banner_expired": "This document has expired",
        "banner_amended": "This version has been amended", "banner_not_yet_effective": "This document is not yet in force",
        "banner_version_pending": "This version is not yet in force",
        "banner_partially_invalid": "This document is partially invalid", "see_repealer": "Repealed by: ",
        "see_in_force": "Read the version in force", "see_pending_fmt": "A new version (version {n}) takes effect on {date}: ",
        "amended_note": "This document has been amended; the amended provisions apply: ", "see_version": "Read",
        "inserted": "Inserted: ", "deleted": "Deleted: ", "legend": "Legend",
        "legend_ins": "inserted text is underlined", "legend_del": "deleted text is struck through",
        "stats_fmt": "{ins} characters inserted, {dele} deleted", "compare_fmt": "Version {old} → version {new}",
        "no_changes": "The two versions have the same text.",
    },
}


def labels_for(language: str) -> dict[str, str]:
    """Labels for ``language``; raises KeyError naming the choices for an unknown one."""
    if language not in LABELS:
        raise KeyError(f"SITE_LANGUAGE: expected one of {', '.join(LABELS)}, got {language!r}")
    return LABELS[language]
