// Verifies the disclosure on this page against the transparency log, in the browser, with no
// trust in the server's word: rebuilds the leaf from what the page shows (data-leaf elements),
// hashes it as RFC 9162 does, walks the inclusion proof to the root of the signed checkpoint,
// and checks the checkpoint's Ed25519 signature with the log's key (WebCrypto).
(function () {
  "use strict";
  var art = document.getElementById("disclosure");
  var out = document.getElementById("verify-status");
  if (!art || !out) return;
  var zh = document.documentElement.lang !== "en";
  function say(ok, detail) {
    out.textContent = (ok ? (zh ? "已验证" : "Verified") : (zh ? "验证失败" : "Verification failed")) + (detail ? "：" + detail : "");
    out.className = ok ? "verify ok" : "verify failed";
    out.setAttribute("data-result", ok ? "verified" : "failed");
  }
  function b64(s) { var b = atob(s.trim()), a = new Uint8Array(b.length); for (var i = 0; i < b.length; i++) a[i] = b.charCodeAt(i); return a; }
  function cat(a, b) { var c = new Uint8Array(a.length + b.length); c.set(a, 0); c.set(b, a.length); return c; }
  function eq(a, b) { if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }
  function sha(bytes) { return crypto.subtle.digest("SHA-256", bytes).then(function (h) { return new Uint8Array(h); }); }
  function text(sel) { var e = art.querySelector(sel); return e ? e.textContent : ""; }
  function leaf() {
    var d = art.dataset, table = null, t = art.querySelector("table[data-leaf=table]");
    if (t) {
      table = { columns: [], rows: [] };
      t.querySelectorAll("thead th").forEach(function (th) { table.columns.push(th.getAttribute("data-raw")); });
      t.querySelectorAll("tbody tr").forEach(function (tr) {
        var row = []; tr.querySelectorAll("td").forEach(function (td) { row.push(td.getAttribute("data-raw")); }); table.rows.push(row);
      });
    }
    var att = []; art.querySelectorAll("[data-leaf=attachment]").forEach(function (a) { att.push(a.getAttribute("data-sha256")); });
    // Keys in the order of domain::disclosure::leaf::Leaf (the canonical form).
    return JSON.stringify({
      v: 1, kind: "disclosure", id: Number(d.id), unit: d.unit, module: d.module, category: d.category,
      period: d.period, title: text("[data-leaf=title]"), body: text("[data-leaf=body]"), table: table,
      attachments: att, published_at: d.publishedAt, supersedes: d.supersedes ? Number(d.supersedes) : null
    });
  }
  // RFC 9162 §2.1.3.2: the root from a leaf hash, its index, the tree size and the proof.
  function rootFrom(index, size, leafHash, proof) {
    if (index >= size) return Promise.reject(new Error("index beyond the tree"));
    var fn = index, sn = size - 1, r = Promise.resolve(leafHash), i = 0;
    function step() {
      if (i === proof.length) return r.then(function (h) { if (sn !== 0) throw new Error("proof too long"); return h; });
      var p = proof[i++];
      if (sn === 0) return Promise.reject(new Error("proof too long"));
      if ((fn & 1) === 1 || fn === sn) {
        r = r.then(function (h) { return sha(cat(cat(new Uint8Array([1]), p), h)); });
        if ((fn & 1) === 0) { while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1; } }
      } else {
        r = r.then(function (h) { return sha(cat(cat(new Uint8Array([1]), h), p)); });
      }
      fn >>= 1; sn >>= 1;
      return step();
    }
    return step();
  }
  var index = Number(art.dataset.logIndex);
  if (!(index >= 0) || art.dataset.logIndex === "") { say(false, zh ? "未登记在透明日志中" : "not in the transparency log"); return; }
  var bytes = new TextEncoder().encode(leaf());
  var note, key;
  Promise.all([
    fetch("/public/log/checkpoint").then(function (r) { return r.text(); }),
    fetch("/public/log/key").then(function (r) { return r.text(); })
  ]).then(function (got) {
    note = got[0]; key = got[1].trim();
    var split = note.indexOf("\n\n");
    var body = note.slice(0, split + 1), lines = body.split("\n");
    var size = Number(lines[1]), root = b64(lines[2]);
    // The verifier key: name+hash+base64(0x01 ‖ public key).
    // name+hash+key: the base64 key may itself hold '+', so split at the first two only.
    var p1 = key.indexOf("+"), p2 = key.indexOf("+", p1 + 1);
    var parts = [key.slice(0, p1), key.slice(p1 + 1, p2), key.slice(p2 + 1)], raw = b64(parts[2]);
    if (raw[0] !== 1) throw new Error("not an Ed25519 key");
    var sigs = note.slice(split + 2).split("\n").filter(function (l) { return l.indexOf("\u2014 " + parts[0] + " ") === 0; });
    if (!sigs.length) throw new Error(zh ? "检查点未由本日志签名" : "the checkpoint is not signed by this log's key");
    var sig = b64(sigs[0].split(" ")[2]).slice(4);
    return crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]).then(function (k) {
      return crypto.subtle.verify({ name: "Ed25519" }, k, sig, new TextEncoder().encode(body));
    }).then(function (good) {
      if (!good) throw new Error(zh ? "检查点签名无效" : "bad checkpoint signature");
      return fetch("/public/log/proof/inclusion?index=" + index + "&size=" + size).then(function (r) { return r.json(); });
    }).then(function (p) {
      return sha(cat(new Uint8Array([0]), bytes)).then(function (lh) {
        return rootFrom(index, size, lh, p.proof.map(b64));
      });
    }).then(function (r) {
      if (!eq(r, root)) throw new Error(zh ? "页面内容与日志记录不一致" : "the page differs from what the log holds");
      say(true, (zh ? "日志第 " : "log entry ") + index + (zh ? " 条，树大小 " : ", tree size ") + size);
    });
  }).catch(function (e) { say(false, e && e.message ? e.message : String(e)); });
})();
