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

  // Register on the phone as the demo's household head (matched against the registry), sign
  // in, leave a question on this statement.
  const name = process.env.DEMO_NAME || '', rid = process.env.DEMO_ID || '';
  check(name && rid, 'the demo printed an identity to register with', `${name} ${rid}`);
  await page.goto(`${base}/public/villages/${VILLAGE}/register`);
  await page.fill('#name', name);
  await page.fill('#resident_id', rid);
  await page.fill('#phone', '13900000123');
  await page.fill('#password', 'villager-pass-2026');
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  const reg = await page.textContent('main');
  check(reg.includes('注册成功'), 'a villager registers against the registry on a phone', reg.slice(0, 80));
  await page.goto(`${base}/login?next=/me`);
  await page.fill('#username', '13900000123');
  await page.fill('#password', 'villager-pass-2026');
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  check(page.url().endsWith('/me'), 'the villager lands on their own page', page.url());
  const id0 = href.split('/').pop();
  await page.goto(`${base}/me?disclosure=${id0}`);
  await page.selectOption('#kind', 'question');
  await page.fill('#body', '浏览器测试：本月租金何时收齐？');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/me/messages"] button[type=submit]')]);
  check((await page.textContent('main')).includes('浏览器测试：本月租金何时收齐？'), 'the question is listed, waiting for an answer');
  check(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the villager\'s page fits a 390 px phone');

  // The cadre answers on another phone; the villager reads the answer.
  const cadreCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const cadre = await cadreCtx.newPage();
  await cadre.goto(`${base}/login`);
  await cadre.fill('#username', 'cadre');
  await cadre.fill('#password', 'grassroots-demo');
  await Promise.all([cadre.waitForNavigation(), cadre.click('form button[type=submit]')]);
  await cadre.goto(`${base}/disclosures/messages`);
  const card = cadre.locator('div.card', { hasText: '浏览器测试：本月租金何时收齐？' });
  await card.locator('textarea[name=answer]').fill('本月底前收齐，逾期按合同处理。');
  await Promise.all([cadre.waitForNavigation(), card.locator('button[type=submit]').click()]);
  await page.goto(`${base}/me`);
  check((await page.textContent('main')).includes('本月底前收齐'), 'the villager reads the cadre\'s answer');

  // The township sees which villages are late.
  await cadre.goto(`${base}/logout`).catch(() => {});
  const townCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const town = await townCtx.newPage();
  await town.goto(`${base}/login`);
  await town.fill('#username', 'township');
  await town.fill('#password', 'grassroots-demo');
  await Promise.all([town.waitForNavigation(), town.click('form button[type=submit]')]);
  await town.goto(`${base}/disclosures/schedule`);
  const sched = await town.textContent('main');
  check(sched.includes('逾期未公开') && sched.includes('王村'), 'the township sees the villages that are late', sched.slice(0, 120));
  await page.goto(`${base}${href}`);

  // Altered on its way: one amount in the table rewritten.
  await page.route(`${base}${href}`, async (route) => {
    const res = await route.fetch();
    let html = await res.text();
    html = html.replace(/(<td data-raw=")(\d+)(")/, (_, a, n, c) => `${a}${Number(n) + 100}${c}`);
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(`${base}${href}`);
  const altered = await verdict();
  check(altered.result === 'failed' && altered.text.includes('页面内容与日志记录不一致'), 'an amount altered in transit fails the check', altered.text);
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
  // The server keeps a rendered disclosure page until it writes or for at most 1 s (another
  // process's write shows within that): wait it out, as a villager reloading a moment later.
  await new Promise((r) => setTimeout(r, 1500));
  await page.goto(`${base}${href}`);
  const edited = await verdict();
  check(edited.result === 'failed' && edited.text.includes('页面内容与日志记录不一致'), 'a row edited in SQLite fails the page\'s own check', edited.text);
} catch (e) {
  check(false, 'the walk ran to its end', String(e));
} finally {
  await browser.close();
}
process.exit(failures);
