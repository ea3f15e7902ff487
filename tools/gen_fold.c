/* gen_fold.c: build-time generator of the folding table (utf8proc + OpenCC → C arrays) */
/*
 * Usage: gen_fold > build/gen/fold_table.c
 *
 * Folding for search is computed here once, at build time, for every code
 * point, so the running program needs neither utf8proc's normaliser nor
 * OpenCC's dictionaries (and costs no start-up work). For a code point c:
 *
 *   1. policy: '\n' and the note markers U+FFF9..U+FFFB stay themselves
 *      (the tokenizer makes boundaries of them); other control characters
 *      vanish, except the white-space ones (\t \v \f U+0085), which become
 *      ' '; '\r' vanishes so that "\r\n" is just "\n".
 *   2. utf8proc: NFKC + full case folding + dropping default-ignorable code
 *      points (utf8proc_map with COMPAT|COMPOSE|CASEFOLD|IGNORE|STABLE);
 *      any space separator (Zs, Zl, Zp) that survives becomes ' '.
 *   3. OpenCC, one character at a time, with character dictionaries only
 *      (no phrase dictionaries, so a character folds the same wherever it
 *      stands): Japanese variants → traditional (JPVariantsRev), Taiwan and
 *      Hong Kong variants → OpenCC traditional (TWVariantsRev,
 *      HKVariantsRev), then traditional → simplified (TSCharacters, first
 *      candidate). The Japanese step is skipped for a character that is
 *      itself a Chinese traditional form (a key of TSCharacters): 連 and 緒
 *      are Chinese characters (连, 绪) before they are Japanese new forms of
 *      聯 and 緖, and a reader who types 连 must find 連.
 *
 * Steps 1-3 are repeated on the result until nothing changes (顔 → 顏 → 颜,
 * or a compatibility ideograph that OpenCC maps on), and the generator then
 * checks that folding is idempotent: fold(fold(c)) == fold(c), where a
 * string folds code point by code point. A code point that breaks this is
 * given fold(fold(c)) instead; if that does not settle it the build fails.
 *
 * Output: sorted single-code-point exceptions, sorted multi-code-point (or
 * empty) expansions, and text_fold_table_version, a digest of all of it.
 * The output depends only on the installed utf8proc and OpenCC data, and is
 * byte-for-byte the same on every run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <opencc.h>
#include <utf8proc.h>

#define NCP 0x110000u
#define FOLD_MAX 18 /* must equal TEXT_FOLD_MAX in src/text/text.h */
#define ITER_MAX 16

static const char *opencc_dicts[] = {
	"JPVariantsRev.ocd2",
	"TWVariantsRev.ocd2",
	"HKVariantsRev.ocd2",
	"TSCharacters.ocd2",
};
#define NDICTS (sizeof(opencc_dicts) / sizeof(opencc_dicts[0]))
/* The three converters step 3 uses, as ranges of opencc_dicts. */
#define JP_FROM 0
#define JP_TO 1   /* JPVariantsRev */
#define REST_FROM 1
#define REST_TO 4 /* TWVariantsRev, HKVariantsRev, TSCharacters */
#define TS_FROM 3
#define TS_TO 4   /* TSCharacters alone: is a character a traditional form? */

/* A sequence of code points: the folding of one code point. */
struct seq {
	uint32_t n;
	uint32_t cp[FOLD_MAX * 4]; /* room for intermediate results */
};

/*
 * A table of sequences, one per code point, kept compact because most code
 * points fold to themselves: len[c] code points; one[c] is the code point
 * itself when len is 1, else an offset into pool.
 */
struct table {
	uint8_t *len;
	uint32_t *one;
	uint32_t *pool;
	size_t npool, cappool;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Any failure stops the build: a half-written table must never be used. */
static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gen_fold: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void *
xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

static void
table_init(struct table *t)
{
	t->len = xalloc(NCP);
	t->one = xalloc(NCP * sizeof(uint32_t));
	t->pool = NULL;
	t->npool = t->cappool = 0;
}

static void
table_set(struct table *t, uint32_t c, const struct seq *s)
{
	if (s->n > FOLD_MAX) {
		die("U+%04X folds to more than %d code points", (unsigned)c, FOLD_MAX);
	}
	t->len[c] = (uint8_t)s->n;
	if (s->n == 1) {
		t->one[c] = s->cp[0];
		return;
	}
	if (t->npool + s->n > t->cappool) {
		t->cappool = t->cappool ? t->cappool * 2 : 4096;
		t->pool = realloc(t->pool, t->cappool * sizeof(uint32_t));
		if (t->pool == NULL)
			die("out of memory");
	}
	t->one[c] = (uint32_t)t->npool;
	memcpy(t->pool + t->npool, s->cp, s->n * sizeof(uint32_t));
	t->npool += s->n;
}

static void
table_get(const struct table *t, uint32_t c, struct seq *s /* OUT */)
{
	s->n = t->len[c];
	if (s->n == 1)
		s->cp[0] = t->one[c];
	else
		memcpy(s->cp, t->pool + t->one[c], s->n * sizeof(uint32_t));
}

static int
seq_eq(const struct seq *a, const struct seq *b)
{
	return a->n == b->n && memcmp(a->cp, b->cp, a->n * sizeof(uint32_t)) == 0;
}

static void
seq_push(struct seq *s, uint32_t c)
{
	if (s->n >= sizeof(s->cp) / sizeof(s->cp[0]))
		die("a folding grew past its buffer");
	s->cp[s->n++] = c;
}

static size_t
encode(uint32_t c, char *out)
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)out);
}

/* Decodes a whole UTF-8 string into s (appending); dies on bad input. */
static void
decode_all(const char *p, size_t len, struct seq *s)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (n <= 0)
			die("a library returned invalid UTF-8");
		seq_push(s, (uint32_t)c);
		i += (size_t)n;
	}
}

static int
is_surrogate(uint32_t c)
{
	return c >= 0xD800 && c <= 0xDFFF;
}

/* Step 1, the project's own policy for controls and the note markers.
 * Returns 1 and fills s when the policy decides, 0 to go on. */
static int
policy(uint32_t c, struct seq *s)
{
	s->n = 0;
	if (c == '\n' || (c >= 0xFFF9 && c <= 0xFFFB)) {
		seq_push(s, c);
		return 1;
	}
	if (utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CC) {
		if (c == '\t' || c == '\v' || c == '\f' || c == 0x85)
			seq_push(s, ' ');
		return 1; /* other controls, '\r' included, vanish */
	}
	return 0;
}

/* Step 2: NFKC + case fold + no default-ignorables, spaces to ' '. */
static void
unicode_fold(uint32_t c, struct seq *s)
{
	char in[8];
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	uint32_t i;

	s->n = 0;
	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)encode(c, in), &out,
			 UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
				 UTF8PROC_IGNORE);
	if (n < 0)
		die("utf8proc_map: %s", utf8proc_errmsg(n));
	decode_all((const char *)out, (size_t)n, s);
	free(out);
	for (i = 0; i < s->n; i++) {
		utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)s->cp[i]);
		if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
		    cat == UTF8PROC_CATEGORY_ZP)
			s->cp[i] = ' ';
	}
}

/*
 * Writes an OpenCC configuration naming only character dictionaries into a
 * fresh temporary directory and opens it. The dictionaries are named by
 * absolute path (OPENCC_DATA overrides /usr/share/opencc), so the
 * configuration can live anywhere ($TMPDIR or /tmp). The directory is removed at once: OpenCC
 * has read everything it needs by then.
 */
static opencc_t
opencc_chars(size_t from, size_t to)
{
	const char *data = getenv("OPENCC_DATA"), *tmp = getenv("TMPDIR");
	char dir[2048], path[sizeof(dir) + 32];
	FILE *f;
	opencc_t cc;
	size_t i;

	if (data == NULL || *data == '\0')
		data = "/usr/share/opencc";
	snprintf(dir, sizeof(dir), "%s/gen_fold.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/fold.json", dir);
	f = fopen(path, "w");
	if (f == NULL)
		die("cannot write the OpenCC configuration: %s", strerror(errno));
	fprintf(f, "{\"name\": \"fangzhi fold: variants and traditional to simplified, by character\",\n");
	fprintf(f, " \"segmentation\": {\"type\": \"mmseg\", \"dict\": {\"type\": \"ocd2\", "
		   "\"file\": \"%s/TSCharacters.ocd2\"}},\n", data);
	fprintf(f, " \"conversion_chain\": [");
	for (i = from; i < to; i++) {
		char file[4096];
		snprintf(file, sizeof(file), "%s/%s", data, opencc_dicts[i]);
		if (access(file, R_OK) != 0)
			die("missing OpenCC dictionary %s (install libopencc-data)", file);
		fprintf(f, "%s\n  {\"dict\": {\"type\": \"ocd2\", \"file\": \"%s\"}}",
			i > from ? "," : "", file);
	}
	fprintf(f, "]}\n");
	if (fclose(f) != 0)
		die("cannot write the OpenCC configuration: %s", strerror(errno));
	cc = opencc_open(path);
	unlink(path);
	rmdir(dir);
	if (cc == (opencc_t)-1)
		die("opencc_open: %s", opencc_error());
	return cc;
}

/* One OpenCC converter's output for one code point (usually c itself). */
static void
convert_one(opencc_t cc, uint32_t c, struct seq *s)
{
	char in[8], *out;
	size_t n = encode(c, in);

	s->n = 0;
	in[n] = '\0';
	out = opencc_convert_utf8(cc, in, n);
	if (out == NULL)
		die("opencc_convert_utf8: %s", opencc_error());
	decode_all(out, strlen(out), s);
	opencc_convert_utf8_free(out);
}

struct converters {
	opencc_t jp, rest, ts;
};

/*
 * Step 3 for one code point: the Japanese step unless c is a Chinese
 * traditional form, then the Taiwan/Hong Kong variants and traditional to
 * simplified.
 */
static void
chinese_fold(const struct converters *cv, uint32_t c, struct seq *s)
{
	struct seq t, one;
	uint32_t i;

	convert_one(cv->ts, c, &t);
	if (t.n == 1 && t.cp[0] == c)
		convert_one(cv->jp, c, &t); /* not a traditional form: maybe Japanese */
	else {
		t.n = 1;
		t.cp[0] = c;
	}
	s->n = 0;
	for (i = 0; i < t.n; i++) {
		uint32_t j;
		convert_one(cv->rest, t.cp[i], &one);
		for (j = 0; j < one.n; j++)
			seq_push(s, one.cp[j]);
	}
}

static uint64_t
fnv(uint64_t h, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xFF;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* fold of a sequence, code point by code point, from table t. */
static void
fold_seq(const struct table *t, const struct seq *in, struct seq *out /* OUT */)
{
	struct seq one;
	uint32_t i, j;

	out->n = 0;
	for (i = 0; i < in->n; i++) {
		table_get(t, in->cp[i], &one);
		for (j = 0; j < one.n; j++)
			seq_push(out, one.cp[j]);
	}
}

int
main(void)
{
	struct table step, fold;
	struct seq s, u, o, x, y;
	struct converters cv = { opencc_chars(JP_FROM, JP_TO), opencc_chars(REST_FROM, REST_TO),
				 opencc_chars(TS_FROM, TS_TO) };
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t nsingle = 0, nmulti = 0, nexpand = 0, k;
	uint32_t c, i, j, fixed = 0;

	/* One application of steps 1-3 for every code point. */
	table_init(&step);
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c))
			continue;
		if (!policy(c, &s)) {
			unicode_fold(c, &u);
			s.n = 0;
			for (i = 0; i < u.n; i++) {
				chinese_fold(&cv, u.cp[i], &o);
				for (j = 0; j < o.n; j++)
					seq_push(&s, o.cp[j]);
			}
		}
		table_set(&step, c, &s);
	}
	opencc_close(cv.jp);
	opencc_close(cv.rest);
	opencc_close(cv.ts);

	/* Iterate each to its fixed point. */
	table_init(&fold);
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c))
			continue;
		x.n = 1;
		x.cp[0] = c;
		for (k = 0; k < ITER_MAX; k++) {
			fold_seq(&step, &x, &y);
			if (seq_eq(&x, &y))
				break;
			x = y;
		}
		if (k == ITER_MAX) {
			die("the folding of U+%04X does not settle (a cycle in the tables?)",
			    (unsigned)c);
		}
		table_set(&fold, c, &x);
	}

	/* Idempotence: fold(fold(c)) == fold(c), fixing up where it fails. */
	for (k = 0; k < 4; k++) {
		uint32_t bad = 0;
		for (c = 0; c < NCP; c++) {
			if (is_surrogate(c))
				continue;
			table_get(&fold, c, &x);
			fold_seq(&fold, &x, &y);
			if (!seq_eq(&x, &y)) {
				table_set(&fold, c, &y);
				bad++;
			}
		}
		fixed += bad;
		if (bad == 0)
			break;
	}
	if (k == 4)
		die("folding is not idempotent even after fix-ups");
	if (fixed)
		fprintf(stderr, "gen_fold: fixed %u code points for idempotence\n", (unsigned)fixed);

	/* Invariants the tokenizer relies on. */
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c))
			continue;
		table_get(&fold, c, &x);
		for (i = 0; i < x.n; i++) {
			uint32_t d = x.cp[i];
			int special = d < 0x20 || (d >= 0x7F && d < 0xA0) || d == 0xFFF9 ||
				      d == 0xFFFB;
			/* only '\n' and the markers themselves may yield them */
			if (special && !(x.n == 1 && d == c))
				die("U+%04X folds to a control or boundary character", (unsigned)c);
			if (is_surrogate(d) || d >= NCP)
				die("U+%04X folds to an invalid code point", (unsigned)c);
		}
	}

	printf("/* fold_table.c: generated by tools/gen_fold.c; do not edit */\n");
	printf("/* utf8proc %s (Unicode %s); OpenCC character dictionaries:", utf8proc_version(),
	       utf8proc_unicode_version());
	for (k = 0; k < NDICTS; k++)
		printf(" %s", opencc_dicts[k]);
	printf(" */\n#include <stddef.h>\n#include <stdint.h>\n\n");

	printf("/* {code point, folded}: code points that fold to one other code point */\n");
	printf("const uint32_t text_fold_single[][2] = {\n");
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c) || fold.len[c] != 1 || fold.one[c] == c)
			continue;
		printf("%s{0x%X, 0x%X},", nsingle % 6 ? " " : "\t", (unsigned)c, (unsigned)fold.one[c]);
		if (nsingle % 6 == 5)
			printf("\n");
		h = fnv(fnv(fnv(h, c), 1), fold.one[c]);
		nsingle++;
	}
	printf("%s};\nconst size_t text_fold_nsingle = %zu;\n\n", nsingle % 6 ? "\n" : "", nsingle);

	printf("/* {code point, offset in text_fold_expand, count}: code points that fold\n"
	       " * to nothing or to several code points */\n");
	printf("const uint32_t text_fold_multi[][3] = {\n");
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c) || fold.len[c] == 1)
			continue;
		printf("%s{0x%X, %zu, %u},", nmulti % 5 ? " " : "\t", (unsigned)c, nexpand,
		       (unsigned)fold.len[c]);
		if (nmulti % 5 == 4)
			printf("\n");
		h = fnv(fnv(h, c), fold.len[c]);
		for (i = 0; i < fold.len[c]; i++)
			h = fnv(h, fold.pool[fold.one[c] + i]);
		nmulti++;
		nexpand += fold.len[c];
	}
	printf("%s};\nconst size_t text_fold_nmulti = %zu;\n\n", nmulti % 5 ? "\n" : "", nmulti);

	printf("const uint32_t text_fold_expand[] = {\n");
	k = 0;
	for (c = 0; c < NCP; c++) {
		if (is_surrogate(c) || fold.len[c] == 1)
			continue;
		for (i = 0; i < fold.len[c]; i++, k++) {
			printf("%s0x%X,", k % 10 ? " " : "\t", (unsigned)fold.pool[fold.one[c] + i]);
			if (k % 10 == 9)
				printf("\n");
		}
	}
	printf("%s};\n\n", k % 10 ? "\n" : "");

	printf("/* a digest (FNV-1a 64) of the tables above */\n");
	printf("const char *text_fold_table_version = \"fold1-%016llx\";\n", (unsigned long long)h);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("cannot write the table: %s", strerror(errno));
	fprintf(stderr, "gen_fold: %zu single, %zu multi (%zu code points)\n", nsingle, nmulti,
		nexpand);
	return 0;
}
