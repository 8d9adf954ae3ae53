// A village cadre on a 390 px phone, in Chinese, against a running demo server (argv[2] = its
// base URL). Each check prints "ok …" or "FAIL …"; the exit code is the number of failures.
// Run by scripts/browser-test, which starts the demo and installs what is missing.
import { chromium } from 'playwright-core';

const base = (process.argv[2] || '').replace(/\/$/, '');
if (!base) {
  console.error('usage: node cadre_phone.mjs BASE_URL');
  process.exit(2);
}
const VILLAGE = '140581104201';
const PASSWORD = 'grassroots-demo';
const WIDTH = 390;
let failures = 0;

function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures += 1;
}

// Chinese, not English: Han characters present and no English word of 4+ letters.
const han = (t) => /[\u4e00-\u9fff]/.test(t);
const english = (t) => /[A-Za-z]{4,}/.test(t);
const chinese = (t) => han(t) && !english(t);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({
  viewport: { width: WIDTH, height: 844 },
  locale: 'zh-CN',
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
});
const page = await context.newPage();
page.setDefaultTimeout(15000);

async function widthOf() {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

try {
  // Sign in as the village cadre.
  await page.goto(`${base}/login`);
  await page.fill('#username', 'cadre');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  check(!page.url().includes('/login'), 'cadre signs in', page.url());

  // 1. The member form: a future birth date and a resident ID with a wrong check digit.
  await page.goto(`${base}/households?village=${VILLAGE}`);
  const first = page.locator('a[href^="/households/"]', { hasText: 'CQ001' }).first();
  const href = await first.getAttribute('href');
  await page.goto(`${base}${href}`);
  const form = page.locator('form[action$="/members"]').first();
  await form.locator('[name=name]').fill('测试成员');
  await form.locator('[name=relation]').fill('子');
  await form.locator('[name=birth_date]').fill('2099-01-01');
  // 11010519491231002X is a valid ID; its last character changed, the check digit is wrong.
  await form.locator('[name=resident_id]').fill('110105194912310021');
  const [answer] = await Promise.all([
    page.waitForNavigation(),
    form.locator('button[type=submit]').click(),
  ]);
  check(answer && answer.status() === 422, 'a bad member form is answered 422', `status ${answer && answer.status()}`);
  const again = page.locator('form[action$="/members"]').first();
  for (const [field, typed] of [['birth_date', '2099-01-01'], ['resident_id', '110105194912310021']]) {
    const input = again.locator(`[name=${field}]`);
    const kept = await input.inputValue().catch(() => '');
    check(kept === typed, `${field}: the typed value is kept`, kept);
    const message = await input.locator('xpath=following-sibling::div[contains(@class,"field-error")]').allInnerTexts();
    const text = message.join(' ');
    check(message.length > 0 && chinese(text), `${field}: a Chinese message next to the field`, text || '(none)');
  }
  check((await widthOf()) <= WIDTH, 'household file fits the phone', `${await widthOf()} px`);

  // 2. The supermarket: too few points keeps the form and tells the balance.
  await page.goto(`${base}/credit/shop`);
  await page.fill('#household', 'CQ001');
  await page.selectOption('#goods_id', { label: /洗衣粉/ }).catch(async () => {
    const value = await page.locator('#goods_id option', { hasText: '洗衣粉' }).first().getAttribute('value');
    await page.selectOption('#goods_id', value);
  });
  await page.fill('#qty', '9999');
  const [refused] = await Promise.all([page.waitForNavigation(), page.click('form[action="/credit/shop/redeem"] button[type=submit]')]);
  const problem = (await page.locator('#redeem-problem').allInnerTexts()).join(' ');
  check(refused && refused.status() >= 400 && refused.status() < 500, 'too few points is refused, not an error page', `status ${refused && refused.status()}`);
  check(problem.includes('积分') && /\d/.test(problem) && chinese(problem), 'the refusal says the balance in Chinese', problem || '(none)');
  check((await page.locator('#household').inputValue().catch(() => '')) === 'CQ001', 'the redemption form keeps the household typed');
  check((await page.locator('#qty').inputValue().catch(() => '')) === '9999', 'the redemption form keeps the quantity typed');

  // 3. A successful redemption (the first household with 20 points), found by its number.
  let redeemed = false;
  for (let i = 1; i <= 40 && !redeemed; i += 1) {
    const no = `CQ${String(i).padStart(3, '0')}`;
    await page.goto(`${base}/credit/shop`);
    await page.fill('#household', no);
    const value = await page.locator('#goods_id option', { hasText: '洗衣粉' }).first().getAttribute('value');
    await page.selectOption('#goods_id', value);
    await page.fill('#qty', '1');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/credit/shop/redeem"] button[type=submit]')]);
    if (page.url().includes('/passbook')) {
      redeemed = true;
      const flash = (await page.locator('.flash').allInnerTexts()).join(' ');
      check(chinese(flash) && flash.length > 0, `household ${no} found by number; the redemption is confirmed`, flash || '(no confirmation)');
      const book = await page.locator('main').innerText();
      check(book.includes('洗衣粉'), 'the passbook lists the redemption');
    }
  }
  check(redeemed, 'some household of the demo village could redeem 洗衣粉');

  // 4. The ledger report fits the phone.
  await page.goto(`${base}/villages/${VILLAGE}/ledger/report`);
  const w = await widthOf();
  check(w <= WIDTH, 'the ledger report is no wider than the screen', `${w} px`);
  const report = await page.locator('main').innerText();
  check(report.includes('制表人') && report.includes('审核人'), 'the report has signature lines');

  // 5. Every main page answers and fits the phone (tables scroll inside their box or become cards).
  for (const path of ['/', `/households?village=${VILLAGE}`, '/credit', '/credit/shop', `/villages/${VILLAGE}/ledger`,
    `/villages/${VILLAGE}/ledger/contracts`, `/villages/${VILLAGE}/ledger/debts`, `/public/villages/${VILLAGE}/credit`]) {
    const r = await page.goto(`${base}${path}`);
    const pw = await widthOf();
    check(r && r.status() === 200 && pw <= WIDTH, `${path} answers and fits`, `status ${r && r.status()}, ${pw} px`);
  }
} catch (e) {
  check(false, 'the walk finished', String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'browser walk: all checks passed' : `browser walk: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
