// warcio-read.mjs FILE: an independent reading of a WARC (webrecorder's
// warcio), one line per response record: target URI, the declared
// WARC-Payload-Digest, the SHA-1 (base32) of the payload as warcio reads
// it, and the SHA-256 (hex) of the payload. t060 compares these with what
// fangzhi kept.
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

const parser = new WARCParser(fs.createReadStream(process.argv[2]));
for await (const rec of parser) {
	if (rec.warcType !== "response") { await rec.readFully(false); continue; }
	const payload = await rec.readFully(false); // the HTTP body as sent
	const payloadDigest = "sha1:" + base32(createHash("sha1").update(payload).digest());
	console.log([rec.warcTargetURI, rec.warcPayloadDigest, payloadDigest,
		createHash("sha256").update(payload).digest("hex")].join("\t"));
}
