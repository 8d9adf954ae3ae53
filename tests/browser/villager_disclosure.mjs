// A villager on a 390 px phone, no account, scans the notice board's QR code: the village's
// board, the latest finance statement, and the page's own check against the transparency log
// (已验证). Then the same page with altered data must say 验证失败: once altered in transit
// (the HTML rewritten on its way), once edited in the database behind the application's back.
// argv[2] = the demo's base URL, argv[3] = its SQLite file. Exit code = number of failures.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';

const base = (process.argv[2] || '').replace(/\/$/, '');
const dbFile = process.argv[3] || '';
if (!base || !dbFile) {
  console.error('usage: node villager_disclosure.mjs BASE_URL DEMO_DB');
  process.exit(2);
}
const VILLAGE = '140581104201';
let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures += 1;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({
  viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2,
});
const page = await context.newPage();
page.setDefaultTimeout(15000);

async function verdict() {
  await page.waitForSelector('#verify-status:not([data-result=pending])');
  return page.evaluate(() => {
    const e = document.getElementById('verify-status');
    return { result: e.getAttribute('data-result'), text: e.textContent };
  });
}

try {
  await page.goto(`${base}/public/villages/${VILLAGE}`);
  const board = await page.textContent('main');
  check(board.includes('财务') && board.includes('财务收支明细'), 'the village board lists its finance statements');
  check(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the board fits a 390 px phone');
  const link = page.locator('#finance a[href^="/public/disclosures/"]').first();
  const href = await link.getAttribute('href');
  await page.goto(`${base}${href}`);
  const v = await verdict();
  check(v.result === 'verified' && v.text.startsWith('已验证'), 'the statement verifies itself against the log', v.text);
  check(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the statement fits a 390 px phone');
  const text = await page.textContent('main');
  check(text.includes('陈区村监委会主任'), 'the approving supervisor is named');

  // Altered on its way: one amount in the table rewritten.
  await page.route(`${base}${href}`, async (route) => {
    const res = await route.fetch();
    let html = await res.text();
    html = html.replace(/(<td data-raw=")(\d+)(")/, (_, a, n, c) => `${a}${Number(n) + 100}${c}`);
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(`${base}${href}`);
  const altered = await verdict();
  check(altered.result === 'failed' && altered.text.startsWith('验证失败'), 'an amount altered in transit fails the check', altered.text);
  await page.unroute(`${base}${href}`);

  // Edited in the database behind the application's back (its trigger dropped first).
  const id = href.split('/').pop();
  execFileSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=10)
c.execute("DROP TRIGGER IF EXISTS disclosures_no_update")
c.execute("UPDATE disclosures SET title = title || '（已改）' WHERE id = ?", (int(sys.argv[2]),))
c.commit()
`, dbFile, id]);
  await page.goto(`${base}${href}`);
  const edited = await verdict();
  check(edited.result === 'failed' && edited.text.startsWith('验证失败'), 'a row edited in SQLite fails the page\'s own check', edited.text);
} catch (e) {
  check(false, 'the walk ran to its end', String(e));
} finally {
  await browser.close();
}
process.exit(failures);
