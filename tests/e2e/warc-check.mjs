// warc-check.mjs FILE: what `warcio check` does in Python warcio (the npm
// package has only index and cdx-index), on webrecorder's own parser: every
// record's WARC-Block-Digest and, for responses, WARC-Payload-Digest are
// recomputed from the bytes (SHA-1, base32, as warcio writes them), and
// each metadata record must refer to the response before it. One line per
// record: type, target URI, block, payload, refers ("ok", "BAD" or "-");
// then per metadata record "meta", its target URI and its block.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const { WARCParser } = await import(pathToFileURL(process.env.WARCIO + "/dist/index.js"));

function base32(buf) {
	const al = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	let bits = 0, v = 0, out = "";
	for (const b of buf) {
		v = (v << 8) | b; bits += 8;
		while (bits >= 5) { out += al[(v >>> (bits - 5)) & 31]; bits -= 5; }
		v &= 0xff;
	}
	if (bits) out += al[(v << (5 - bits)) & 31];
	return out;
}
const sha1 = (b) => "sha1:" + base32(createHash("sha1").update(b).digest());
const verdict = (want, got) => (want === undefined || want === null ? "BAD" : want === got ? "ok" : "BAD");

let lastResponse = null, bad = 0;
const metas = [];
const parser = new WARCParser(fs.createReadStream(process.argv[2]), { parseHttp: false });
for await (const rec of parser) {
	const block = Buffer.from(await rec.readFully(false));
	const h = (k) => rec.warcHeaders.headers.get(k);
	const type = rec.warcType, uri = rec.warcTargetURI || "-";
	const blockOk = verdict(h("WARC-Block-Digest"), sha1(block));
	let payloadOk = "-", refersOk = "-";
	if (type === "response") {
		const at = block.indexOf("\r\n\r\n");
		payloadOk = verdict(h("WARC-Payload-Digest"), sha1(at < 0 ? Buffer.alloc(0) : block.subarray(at + 4)));
		lastResponse = { id: h("WARC-Record-ID"), uri };
	} else if (type === "metadata") {
		refersOk = lastResponse && h("WARC-Refers-To") === lastResponse.id &&
			h("WARC-Concurrent-To") === lastResponse.id && uri === lastResponse.uri ? "ok" : "BAD";
		metas.push(`meta\t${uri}\t${block.toString("utf8")}`);
	}
	for (const v of [blockOk, payloadOk, refersOk]) if (v === "BAD") bad++;
	console.log([type, uri, blockOk, payloadOk, refersOk].join("\t"));
}
for (const m of metas) console.log(m);
process.exit(bad ? 1 : 0);
