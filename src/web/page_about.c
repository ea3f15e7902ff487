/* page_about.c: /about (关于本站): what this archive is, where records came from, how to cite */
#include <string.h>

#include "web_int.h"

static const char default_about[] =
	"本站是一个已停运的省级地情数据库（山东省情网“地情资料库”）的公开镜像与长期存档。"
	"原库收有年鉴、志书、旧志和专题资料，按书、章节和条目编排；停运之前，它的页面被抓取保存下来。"
	"本站把这些记录导入一个只读的档案，照原样呈现，供阅读、检索和引用。\n\n"
	"## 资料来源\n\n"
	"条目来自原库页面的抓取存档（WARC 文件或保存下来的网页）、原库数据的导出（JSON Lines），"
	"以及公有领域的历史方志数字文本，例如汉籍仓库（Kanseki Repository）所收文渊阁四库全书本《山東通志》。"
	"每个条目都记下了来源文件、原始地址、采集时间和摘要（SHA-256）；同一条目再次导入而内容有变时，"
	"旧的版本仍然保留，可以逐版查看。\n\n"
	"## 保存原则\n\n"
	"本站只保存，不改写：简体、繁体和异体字只在检索时通检，页面显示的始终是原来的字形；"
	"原书中 Unicode 未收的字以带编号的占位符标出，旧书的原书页码标在页边，双行小注以小字排出。";

static const char default_licence[] =
	"原始资料的著作权归原编纂、出版单位所有；本站出于保存和研究的目的提供镜像，不主张新的权利。"
	"四库全书本等古籍文本属于公有领域。权利人对某个条目有异议的，请与本站联系。";

/*
 * Paragraphs separated by blank lines; a paragraph starting with "## " is
 * a second-level heading. All of it is escaped: the about text comes from
 * a file and is treated like any other text.
 */
static void
render_prose(struct html *h, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len > 0 && (*p == '\n' || *p == ' ')) {
			p++;
			len--;
		}
		if (len > 0) {
			if (len > 3 && strncmp(p, "## ", 3) == 0) {
				HTML_LIT(h, "<h2>");
				html_textn(h, p + 3, len - 3);
				HTML_LIT(h, "</h2>\n");
			} else {
				HTML_LIT(h, "<p>");
				html_textn(h, p, len);
				HTML_LIT(h, "</p>\n");
			}
		}
		if (end == NULL)
			break;
		p = end + 2;
	}
}

/* 关于本站: the site file's about text (or ours), what the archive holds
 * now, how to cite an entry, licence and contact. */
int
page_about(struct req *r)
{
	const struct site *s = r->site;
	const struct fz_stats *st = &r->web->stats;
	struct fz_count *kc = NULL;
	size_t nkc = 0;
	struct fz_err err;
	struct html about, holdings, cite, licence, contact, oldlinks, main;

	if (store_counts_by_kind(r->store, r->arena, &kc, &nkc, &err) < 0)
		return page_fail(r, &err);
	html_init(&about, r->arena);
	html_init(&holdings, r->arena);
	html_init(&cite, r->arena);
	html_init(&licence, r->arena);
	html_init(&contact, r->arena);
	html_init(&oldlinks, r->arena);
	if (link_href(r->arena, "/resolve") != NULL)
		legacy_resolve_form(&oldlinks); /* page_legacy.c */
	else /* a static copy */
		HTML_LIT(&oldlinks, "<p>这是本站的静态副本，旧网址要到在线的本站查找。</p>\n");
	html_init(&main, r->arena);

	render_prose(&about, s->about ? s->about : default_about);

	HTML_LIT(&holdings, "<p>");
	html_text(&holdings, arena_printf(r->arena,
					  "目前收录 %ld 部书、%ld 个条目（%ld 个版本），正文共 %s字。",
					  st->books, st->entries, st->versions,
					  layout_count(r->arena, st->chars)));
	HTML_LIT(&holdings, "可以从");
	layout_link(&holdings, "/browse", "档案浏览器");
	HTML_LIT(&holdings, "按地区、类别和书逐级查看，或用");
	layout_link(&holdings, "/search", "全文检索");
	HTML_LIT(&holdings, "查找。</p>\n");
	page_kind_list(r, &holdings, kc, nkc);
	/* The published fingerprint: two mirrors compare it in one line. */
	HTML_LIT(&holdings, "<p>档案指纹（全部条目内容摘要的 Merkle 根，SHA-256）：<code class=\"fp\">");
	html_text(&holdings, st->fingerprint);
	HTML_LIT(&holdings, "</code>。两个镜像的指纹相同，所存的条目就完全相同；"
			    "<code>fangzhi verify --fingerprint</code> 可以用它核对一份副本。</p>\n");

	HTML_LIT(&cite, "<p>引用条目时，请写明作者、条目标题、书名、本站名称、条目地址和版本。例如：</p>\n"
			"<p class=\"cite\">王建伟：《信访工作》，载《泰安年鉴（2018）》。");
	html_text(&cite, s->brand);
	HTML_LIT(&cite, "，<span class=\"url\">");
	html_text(&cite, s->base_url ? s->base_url : "");
	HTML_LIT(&cite, "/entry/taian-nianjian-2018/xinfang-gongzuo?v=1</span>，第 1 版。</p>\n"
			"<p>每个条目页的“引用本条”一节都给出了现成的引用文字，连同原始地址和采集时间。"
			"带 <code>?v=N</code> 的地址指向固定的版本，内容不会再变；不带版本号的地址总是显示现行版本。"
			"旧书条目还可以用原书页码定位，例如 <code>#p010-2a</code>（编号 010 的一卷，第二叶的前半叶）。</p>\n");

	HTML_LIT(&licence, "<p>");
	html_text(&licence, s->licence ? s->licence : default_licence);
	HTML_LIT(&licence, "</p>\n");
	if (s->contact) {
		HTML_LIT(&contact, "<h2>联系</h2>\n<p>");
		html_text(&contact, s->contact);
		HTML_LIT(&contact, "</p>\n");
	}

	struct tmpl_var vars[] = {
		{ "about", NULL, &about },
		{ "holdings", NULL, &holdings },
		{ "cite", NULL, &cite },
		{ "licence", NULL, &licence },
		{ "contact", NULL, &contact },
		{ "oldlinks", NULL, &oldlinks },
	};
	tmpl_render(TMPL_ABOUT, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = 200;
	r->cache = CACHE_SHORT;
	layout_page(r, "关于本站", &main);
	return 0;
}
