// warcio-read.mjs FILE: an independent reading of a WARC (webrecorder's
// warcio), one line per response record: target URI, the declared
// WARC-Payload-Digest, the SHA-1 (base32) of the payload (the HTTP body),
// and the SHA-256 (hex) and length of the whole record block (the HTTP
// response as captured). t060 compares these with what fangzhi kept.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

// WARCIO: the installed package's directory (npm install --prefix build/npm warcio)
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

// parseHttp: false, so that the record's block comes back as captured
const parser = new WARCParser(fs.createReadStream(process.argv[2]), { parseHttp: false });
for await (const rec of parser) {
	const block = Buffer.from(await rec.readFully(false));
	if (rec.warcType !== "response") continue;
	const at = block.indexOf("\r\n\r\n");
	const payload = at < 0 ? Buffer.alloc(0) : block.subarray(at + 4);
	const payloadDigest = "sha1:" + base32(createHash("sha1").update(payload).digest());
	console.log([rec.warcTargetURI, rec.warcPayloadDigest, payloadDigest,
		createHash("sha256").update(block).digest("hex"), block.length].join("\t"));
}
