/* test_digest.c: the content digest and the fingerprint's Merkle tree */
#include "testlib.h"

#include <openssl/evp.h>

#include "store/store_int.h"

static void
hex(const unsigned char *h, char out[65])
{
	static const char d[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = d[h[i] >> 4];
		out[2 * i + 1] = d[h[i] & 15];
	}
	out[64] = '\0';
}

static void
sha(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len;
	EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

/* RFC 6962, 2.1, written as the RFC says it (recursively): the oracle. */
static void
mth(unsigned char (*leaf)[32], size_t n, unsigned char out[32])
{
	unsigned char in[65];
	size_t k = 1;

	if (n == 1) {
		memcpy(out, leaf[0], 32);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	in[0] = 1;
	mth(leaf, k, in + 1);
	mth(leaf + k, n - k, in + 33);
	sha(in, sizeof(in), out);
}

/* 5.1.1-8: Certificate Transparency's published test vectors (RFC 6962
 * reference code): roots of the first n of these eight leaves. */
static void
test_ct_vectors(void **state)
{
	static const char *const leaves[] = {
		"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
		"606162636465666768696a6b6c6d6e6f" };
	static const char *const roots[] = {
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" };
	size_t n, i, j;
	char out[65];

	for (n = 1; n <= 8; n++) {
		struct merkle m;
		merkle_init(&m);
		for (i = 0; i < n; i++) {
			unsigned char b[32];
			size_t len = strlen(leaves[i]) / 2;
			for (j = 0; j < len; j++) {
				unsigned int x;
				sscanf(leaves[i] + 2 * j, "%2x", &x);
				b[j] = (unsigned char)x;
			}
			merkle_leaf_data(&m, b, len);
		}
		merkle_root_hex(&m, out);
		if (strcmp(out, roots[n - 1]) != 0)
			fail_msg("5.1.%zu: root of %zu leaves is %s, not %s", n, n, out, roots[n - 1]);
	}
}

/* 5.1.9: no leaves: SHA-256 of nothing. */
static void
test_empty(void **state)
{
	struct merkle m;
	char out[65];

	merkle_init(&m);
	merkle_root_hex(&m, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* 5.1.10: the streaming tree equals the recursive definition for every size
 * up to 300, with leaves as the archive makes them (id NUL digest). */
static void
test_oracle(void **state)
{
	static unsigned char leaf[300][32];
	unsigned char root[32];
	char id[32], dig[65], out[65], want[65];
	size_t n, i;

	for (n = 1; n <= 300; n++) {
		struct merkle m;
		merkle_init(&m);
		for (i = 0; i < n; i++) {
			unsigned char in[128];
			size_t len;
			snprintf(id, sizeof(id), "book/%03zu", i);
			fz_sha256_hex(id, strlen(id), dig);
			merkle_leaf(&m, id, dig);
			in[0] = 0;
			len = strlen(id);
			memcpy(in + 1, id, len);
			in[1 + len] = 0;
			memcpy(in + 2 + len, dig, 64);
			sha(in, len + 66, leaf[i]);
		}
		merkle_root_hex(&m, out);
		mth(leaf, n, root);
		hex(root, want);
		if (strcmp(out, want) != 0)
			fail_msg("5.1.10: %zu leaves: %s, recursive %s", n, out, want);
		assert_int_equal(m.leaves, (long)n);
	}
}

/* 5.1.11: the content digest: the fields it hashes change it, provenance
 * does not; page positions count. */
static void
test_content_digest(void **state)
{
	const char *path[] = { "政治", "政法" };
	struct fz_page pages[] = { { 0, "010-1a" }, { 6, "010-1b" } };
	struct fz_record r = { 0 }, r2;
	char a[65], b[65];

	r.id = "b/x";
	r.title = "信访工作";
	r.body = "年内信访秩序好转。";
	r.book.id = "b";
	r.path = path;
	r.npath = 2;
	r.order = -1;
	store_content_digest(&r, a);
	r2 = r;
	r2.source_file = "other.jsonl";
	r2.source_line = 9;
	r2.captured_at = "2017-05-01T08:00:00Z";
	store_content_digest(&r2, b);
	assert_string_equal(a, b);
	r2 = r;
	r2.order = 0;
	store_content_digest(&r2, b);
	assert_string_not_equal(a, b);
	r2 = r;
	r2.npath = 1;
	store_content_digest(&r2, b);
	assert_string_not_equal(a, b);
	r2 = r;
	r2.pages = pages;
	r2.npages = 2;
	store_content_digest(&r2, b);
	assert_string_not_equal(a, b);
	pages[1].pos = 7;
	store_content_digest(&r2, a);
	assert_string_not_equal(a, b);
}

/* 5.1.12: sections as the body gives them. */
static void
test_sections(void **state)
{
	const char *body = "【概况】甲\n乙【不是】\n【】空\n【案件处理\n】\n【收尾】丙";
	const char *cur = body, *h;
	size_t pos, hlen;

	assert_int_equal(store_section_next(body, &cur, &pos, &h, &hlen), 1);
	assert_int_equal(pos, 0);
	assert_int_equal(hlen, strlen("概况"));
	assert_int_equal(store_section_next(body, &cur, &pos, &h, &hlen), 1);
	assert_true(strncmp(h, "收尾", hlen) == 0);
	assert_int_equal(pos, strstr(body, "【收尾】") - body);
	assert_int_equal(store_section_next(body, &cur, &pos, &h, &hlen), 0);
	assert_int_equal(store_section_next(body, &cur, &pos, &h, &hlen), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_vectors),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_oracle),
		cmocka_unit_test(test_content_digest),
		cmocka_unit_test(test_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
