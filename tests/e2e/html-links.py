#!/usr/bin/env python3
# html-links.py DIR: every href, src and action of every page of a static copy
# that is not another site's address or a fragment alone must lead to a file
# the copy holds, relative to the page (as a browser resolves it from disk).
# Prints one line per broken link ("page<TAB>href"), and on the last line
# "pages N links M broken K". Standard library only.
import html.parser, os, sys, urllib.parse

root = os.path.realpath(sys.argv[1])

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src", "action") and v is not None:
                self.found.append(v)

pages = links = broken = 0
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html"):
            continue
        page = os.path.join(d, f)
        pages += 1
        p = Links()
        with open(page, encoding="utf-8") as fh:
            p.feed(fh.read())
        for href in p.found:
            u = urllib.parse.urlsplit(href)
            if u.scheme or u.netloc or (not u.path and u.fragment is not None and href.startswith("#")):
                continue
            links += 1
            target = os.path.realpath(os.path.join(d, urllib.parse.unquote(u.path)))
            if href.startswith("/") or not target.startswith(root + os.sep) or not os.path.isfile(target):
                broken += 1
                print(f"{os.path.relpath(page, root)}\t{href}")
print(f"pages {pages} links {links} broken {broken}")
