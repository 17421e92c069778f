#!/usr/bin/python3
"""test_browser.py: the page in headless Chromium: search, facets, document view, citation, freq CSV, KWIC, escaping.

Builds an index of the bundled corpus plus one plan whose title, city, province, headings
and text hold markup (<script>alert(1)</script>, "><img src=x onerror=alert(1)>), starts
policy-serve on a free loopback port, and drives Debian's chromium through chromedriver
with python3-selenium. Every wait is a WebDriverWait on what the page shows, never a
sleep. Exit status 0 when every check passed, 1 when one failed, 77 (Meson's "skipped")
when chromium, chromedriver or selenium is not installed.

    test_browser.py --serve policy-serve --index policy-index --corpus corpus/
                    [--screenshot docs/screenshot.png]
"""

import argparse
import csv
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
SKIP = 77

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

WAIT = 30  # seconds any one thing the page should show may take

# The plan that tries to inject markup: every string of it the page shows must be text.
SCRIPT = '<script>alert(1)</script>'
IMG = '"><img src=x onerror=alert(1)>'
XSS_PLAN = {
    'city_id': 'xss',
    'file': 'xss.txt',
    'city': '<b>注入</b>市',
    'province': IMG,
    'title': SCRIPT + '注入测试规划' + IMG,
    'title_supplied': False,
    'date': None,
    'body_lines': [1, 4],
}
XSS_TEXT = ('一、' + SCRIPT + '注入测试标题\n'
            '注入测试的正文写有' + IMG + '这样的字样。\n'
            '二、第二章' + IMG + '\n'
            '注入测试再现' + SCRIPT + '。\n')


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print('ok - ' + what, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def make_corpus(src, dest):
    """The bundled corpus and the markup plan, in dest, with a manifest listing both."""
    os.makedirs(dest)
    with open(os.path.join(src, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    for plan in manifest['plans']:
        shutil.copy(os.path.join(src, plan['file']), dest)
    manifest['plans'].append(XSS_PLAN)
    with open(os.path.join(dest, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    with open(os.path.join(dest, 'xss.txt'), 'w', encoding='utf-8') as f:
        f.write(XSS_TEXT)


def http_get(base, path):
    with urllib.request.urlopen(base + path, timeout=WAIT) as r:
        return r.status, r.headers, r.read()


class Server:
    """policy-serve on a free loopback port, up once it answers /api/plans."""

    def __init__(self, serve, db, log):
        self.proc = None
        for _ in range(5):  # another process may take the port between picking and binding
            port = free_port()
            self.base = 'http://127.0.0.1:%d' % port
            self.proc = subprocess.Popen([serve, '--db', db, '--listen', '127.0.0.1:%d' % port],
                                         stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if http_get(self.base, '/api/plans')[0] == 200:
                        return
                except (OSError, http.client.HTTPException):
                    try:  # not listening yet: wait a moment, or for it to exit
                        self.proc.wait(timeout=0.05)
                    except subprocess.TimeoutExpired:
                        pass
            self.stop()
        raise Failure('policy-serve did not start (see its log above)')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_browser(download_dir):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
              '--window-size=1280,900', '--lang=zh-CN', '--no-first-run',
              '--disable-extensions', '--disable-background-networking'):
        opts.add_argument(a)
    opts.add_experimental_option('prefs', {
        'download.default_directory': download_dir,
        'download.prompt_for_download': False,
        'safebrowsing.enabled': False,
    })
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    opts.set_capability('unhandledPromptBehavior', 'ignore')
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    # Downloads in headless mode go where the DevTools protocol says.
    driver.execute_cdp_cmd('Browser.setDownloadBehavior',
                           {'behavior': 'allow', 'downloadPath': download_dir})
    return driver


def alert_text(driver):
    """The text of the alert the page opened, or None: an alert means markup ran."""
    try:
        return driver.switch_to.alert.text
    except NoAlertPresentException:
        return None


def no_alert(driver, where):
    text = alert_text(driver)
    if text is not None:
        raise Failure('an alert fired %s: %r' % (where, text))
    check(True, 'no alert fired ' + where)


def wait_done(driver, status_id):
    """Waits until the view's status element says its request finished, and returns it;
    fails at once if the page opened an alert meanwhile."""
    def finished(d):
        if alert_text(d) is not None:
            raise Failure('an alert fired on %s: %r' % (d.current_url, alert_text(d)))
        return d.find_element(By.ID, status_id).get_attribute('data-state') in ('done', 'error')
    WebDriverWait(driver, WAIT).until(finished)
    el = driver.find_element(By.ID, status_id)
    if el.get_attribute('data-state') == 'error':
        raise Failure('%s: %s' % (status_id, el.text))
    return el


def js_count(driver, selector):
    return driver.execute_script('return document.querySelectorAll(arguments[0]).length', selector)


def open_search(driver, base, query):
    driver.get(base + '/?' + urllib.parse.urlencode({'q': query}))
    wait_done(driver, 'search-status')


def test_search(driver, base):
    open_search(driver, base, '双减')
    check(driver.find_element(By.ID, 'q').get_attribute('value') == '双减',
          '/?q=双减 puts 双减 in the search box')
    check(driver.find_element(By.ID, 'total').text == '4', 'the count says 4 passages')
    check(js_count(driver, '#hits li.hit') == 4, '4 hits are listed')
    marks = driver.find_elements(By.CSS_SELECTOR, '#hits .passage mark')
    check(len(marks) == 4 and all(m.text == '双减' for m in marks),
          'each hit has its match 双减 highlighted (4 marks)')
    ids = [h.get_attribute('data-id') for h in driver.find_elements(By.CSS_SELECTOR, '#hits li.hit')]
    check(ids == ['dandong/2.2/6', 'anshan/2.3/0', 'tonghua/3.4/4', 'tonghua/3.4.b1.3/0'],
          'the hits are the CLI\'s, in its order: %s' % ids)
    crumbs = driver.find_elements(By.CSS_SELECTOR, '#hits li.hit:nth-child(4) .crumbs a')
    check([c.text for c in crumbs][-1] == '3.持续开展“双减”工作，抓好义务教育段学生课后服务',
          'the section path is a breadcrumb of links')

    # A city facet filters the list, and the address keeps the filter.
    facet = driver.find_element(By.CSS_SELECTOR, '#facet-city a[data-city="通化市"]')
    check(facet.text.replace('\n', ' ').split()[-1] == '2', 'the 通化市 facet counts 2')
    facet.click()
    WebDriverWait(driver, WAIT).until(lambda d: 'city=' in d.current_url and js_count(d, '#hits li.hit') == 2
                                      and d.find_element(By.ID, 'search-status').get_attribute('data-state') == 'done')
    cities = {c.text for c in driver.find_elements(By.CSS_SELECTOR, '#hits .hit-head .city')}
    check(cities == {'通化市'}, 'clicking the 通化市 facet leaves its 2 hits only')
    check(driver.find_element(By.ID, 'total').text == '2', 'the count follows the filter')

    # The chapter facet too, and paging at paragraph scope keeps working from the address.
    driver.get(base + '/?' + urllib.parse.urlencode({'q': '教育', 'offset': 20}))
    wait_done(driver, 'search-status')
    check(js_count(driver, '#hits li.hit') == 20 and
          driver.find_element(By.CSS_SELECTOR, '#pager .current').text == '2',
          'offset=20 shows the second page of 教育')
    driver.find_element(By.CSS_SELECTOR, '#facet-chapter a').click()
    WebDriverWait(driver, WAIT).until(lambda d: 'section=' in d.current_url and
                                      d.find_element(By.ID, 'search-status').get_attribute('data-state') == 'done')
    chip = driver.find_element(By.CSS_SELECTOR, '#filters .chip:last-child').text
    check(chip.startswith('章节：'), 'a chapter facet becomes a filter: ' + chip)


def test_cite(driver, base):
    open_search(driver, base, '双减')
    hit = driver.find_element(By.CSS_SELECTOR, '#hits li.hit[data-id="tonghua/3.4/4"]')
    hit.find_element(By.CSS_SELECTOR, 'button.cite[data-format="text"]').click()
    box = hit.find_element(By.CSS_SELECTOR, 'pre.citation')
    WebDriverWait(driver, WAIT).until(lambda d: box.is_displayed() and box.text.strip())
    _, _, body = http_get(base, '/api/cite?' + urllib.parse.urlencode({'id': 'tonghua/3.4/4', 'format': 'text'}))
    want = body.decode('utf-8').rstrip()
    check(box.text.strip() == want.strip(), 'the 引用 button shows the server\'s text citation')
    check(box.text.startswith('〔通化市“十四五”教育事业发展规划〕三、主要任务 （四）全力推进义务教育优质均衡发展，第4句：“持续开展‘双减’工作。”'),
          'the citation names the plan, the section and the sentence')
    note = hit.find_element(By.CSS_SELECTOR, '.copied')
    WebDriverWait(driver, WAIT).until(lambda d: note.text.startswith('已'))
    copied = driver.execute_async_script(
        'var done = arguments[0];'
        'navigator.clipboard.readText().then(done, function (e) { done("ERROR " + e); });')
    check(copied.rstrip() == want, 'the citation is on the clipboard')

    hit.find_element(By.CSS_SELECTOR, 'button.cite[data-format="markdown"]').click()
    WebDriverWait(driver, WAIT).until(lambda d: box.get_attribute('data-format') == 'markdown' and box.text.startswith('>'))
    check('`tonghua/3.4/4`' in box.text, 'the Markdown button shows the Markdown citation')


def test_document(driver, base):
    open_search(driver, base, '双减')
    hit = driver.find_element(By.CSS_SELECTOR, '#hits li.hit[data-id="tonghua/3.4/4"]')
    hit.find_element(By.CSS_SELECTOR, 'a.in-doc').click()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#passage[data-id="tonghua/3.4/4"]'))
    check('view=doc' in driver.current_url, 'the passage link opens the document view')
    check(driver.find_element(By.CSS_SELECTOR, '#passage .passage-text').text == '持续开展“双减”工作。',
          'the passage is shown in place')
    before = [p.get_attribute('data-id') for p in driver.find_elements(By.CSS_SELECTOR, '.reading .ctx')]
    check('tonghua/3.4/3' in before and 'tonghua/3.4/5' in before, 'with its neighbours before and after')
    toc = driver.find_elements(By.CSS_SELECTOR, '#toc a')
    check(len(toc) > 20, 'the outline is a table of contents (%d headings)' % len(toc))
    here = driver.find_element(By.CSS_SELECTOR, '#toc a[aria-current]')
    check(here.get_attribute('data-path') == '3.4', 'the passage\'s section is marked in the contents')
    target = driver.find_element(By.CSS_SELECTOR, '#toc a[data-path="3.4.b1.3"]')
    target.click()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#passage[data-id="tonghua/3.4.b1.3"]'))
    text = driver.find_element(By.CSS_SELECTOR, '#passage .passage-text').text
    check(text.startswith('3.持续开展“双减”工作'), 'a heading in the contents opens its section')
    driver.back()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#passage[data-id="tonghua/3.4/4"]'))
    check(True, 'Back returns to the passage')


def test_freq(driver, base, download_dir):
    driver.get(base + '/?view=freq')
    box = driver.find_element(By.ID, 'freq-terms')
    box.send_keys('双减', Keys.ENTER, '课后服务')
    driver.find_element(By.CSS_SELECTOR, '#freq-form button[type=submit]').click()
    wait_done(driver, 'freq-status')
    rows = driver.find_elements(By.CSS_SELECTOR, '#freq-grid tbody tr')
    table = {r.find_element(By.TAG_NAME, 'th').text: [c.text for c in r.find_elements(By.TAG_NAME, 'td')] for r in rows}
    check(table.get('通化市') == ['2', '2'] and table.get('鞍山市') == ['1', '17'],
          'the table counts 双减 and 课后服务 per city')
    check(js_count(driver, '#freq-chart svg rect.bar') == 2 * len(table) - 2,
          'the chart draws a bar per term and city')
    check('terms=' in driver.current_url, 'the terms are in the address')

    for name in os.listdir(download_dir):
        os.unlink(os.path.join(download_dir, name))
    driver.find_element(By.ID, 'freq-csv').click()

    def downloaded(_):
        done = [n for n in os.listdir(download_dir) if not n.endswith('.crdownload')]
        return done[0] if done and not any(n.endswith('.crdownload') for n in os.listdir(download_dir)) else None
    name = WebDriverWait(driver, WAIT).until(downloaded)
    with open(os.path.join(download_dir, name), 'rb') as f:
        data = f.read()
    rows = list(csv.reader(io.StringIO(data.decode('utf-8'), newline='')))
    check(name.endswith('.csv'), 'the CSV link downloads a .csv file (%s)' % name)
    check(rows[0] == ['term', 'city', 'city_id', 'occurrences', 'passages', 'per_10k_chars'],
          'the CSV has freq\'s header')
    check(['双减', '通化市', 'tonghua', '2', '2', '1.423'] in rows and
          ['课后服务', '鞍山市', 'anshan', '17', '11', '12.258'] in rows, 'and its counts')

    href = driver.find_element(By.ID, 'freq-excel').get_attribute('href')
    _, _, excel = http_get(base, href[len(base):])
    check(excel.startswith(b'\xef\xbb\xbfterm,city,'), 'the Excel CSV starts with a byte order mark')


def test_kwic(driver, base):
    driver.get(base + '/?' + urllib.parse.urlencode({'view': 'kwic', 'q': '产教融合'}))
    wait_done(driver, 'kwic-status')
    marks = driver.find_elements(By.CSS_SELECTOR, '#kwic-table td.k-match mark')
    total = int(driver.find_element(By.ID, 'kwic-total').text)
    check(total == 24 and len(marks) == total, 'KWIC lists every occurrence of 产教融合 (%d)' % len(marks))
    lefts = {round(m.rect['x']) for m in marks}
    check(len(lefts) == 1, 'the keyword column is aligned (x = %s)' % sorted(lefts))
    lefts = {round(e.rect['x'] + e.rect['width']) for e in
             driver.find_elements(By.CSS_SELECTOR, '#kwic-table td.k-left .clip-left span')}
    check(max(lefts) - min(lefts) <= 1, 'the left context ends at the keyword column')
    href = driver.find_element(By.CSS_SELECTOR, '#kwic-status a[download="kwic.csv"]').get_attribute('href')
    _, headers, body = http_get(base, href[len(base):])
    rows = list(csv.reader(io.StringIO(body.decode('utf-8'), newline='')))
    check(rows[0][:8] == ['city', 'city_id', 'id', 'line', 'section', 'left', 'match', 'right'] and
          len(rows) == 25 and all(r[6] == '产教融合' for r in rows[1:]),
          'its CSV link gives the same 24 occurrences')


def test_escaping(driver, base):
    open_search(driver, base, '注入测试')
    hits = driver.find_elements(By.CSS_SELECTOR, '#hits li.hit')
    check(len(hits) == 3, 'the markup plan is searchable (3 hits)')
    doc = hits[0].find_element(By.CSS_SELECTOR, '.document').text
    check(doc == XSS_PLAN['title'], 'its title is shown as text: ' + doc)
    check(hits[0].find_element(By.CSS_SELECTOR, '.city').text == XSS_PLAN['city'], 'its city too')
    texts = ' '.join(h.find_element(By.CSS_SELECTOR, '.passage').text for h in hits)
    check(SCRIPT in texts and IMG in texts, 'its text shows <script> and <img onerror> as text')
    crumbs = ' '.join(h.find_element(By.CSS_SELECTOR, '.crumbs').text for h in hits)
    check(SCRIPT in crumbs, 'its headings too')
    check(js_count(driver, 'main script, main img, main b') == 0, 'no element was made from its markup')
    facet = driver.find_element(By.CSS_SELECTOR, '#facet-city a[data-city="%s"]' % XSS_PLAN['city'])
    check(XSS_PLAN['city'] in facet.text, 'the facet names the city as text')
    no_alert(driver, 'on the results')

    hits[0].find_element(By.CSS_SELECTOR, 'a.in-doc').click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#passage'))
    check(driver.find_element(By.CSS_SELECTOR, '.doc-title').text == XSS_PLAN['title'],
          'the document view shows the title as text')
    check(IMG in driver.find_element(By.CSS_SELECTOR, '.doc-head .muted').text, 'and the province')
    toc = ' '.join(a.text for a in driver.find_elements(By.CSS_SELECTOR, '#toc a'))
    check(SCRIPT in toc and IMG in toc, 'and the headings in its contents')
    hit_cite = driver.find_element(By.CSS_SELECTOR, '.doc button.cite[data-format="text"]')
    hit_cite.click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, '.doc pre.citation').text)
    check(SCRIPT in driver.find_element(By.CSS_SELECTOR, '.doc pre.citation').text, 'and its citation')
    check(js_count(driver, 'main script, main img, main b') == 0, 'no element was made from its markup')
    no_alert(driver, 'in the document view')

    driver.get(base + '/?view=plans')
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#plans-table tr[data-plan="xss"]'))
    row = driver.find_element(By.CSS_SELECTOR, '#plans-table tr[data-plan="xss"]').text
    check(SCRIPT in row and IMG in row, 'the list of documents shows it as text')
    driver.get(base + '/?' + urllib.parse.urlencode({'view': 'freq', 'terms': '注入测试\n' + SCRIPT, 'by': 'document'}))
    wait_done(driver, 'freq-status')
    labels = ' '.join(t.text for t in driver.find_elements(By.CSS_SELECTOR, '#freq-chart svg text'))
    check(XSS_PLAN['title'][:10] in labels and SCRIPT in labels, 'the chart shows plan and term as text')
    driver.get(base + '/?' + urllib.parse.urlencode({'view': 'kwic', 'q': '注入测试'}))
    wait_done(driver, 'kwic-status')
    check(js_count(driver, 'main script, main img, main b') == 0, 'KWIC makes no element from markup')
    driver.get(base + '/?' + urllib.parse.urlencode({'q': SCRIPT + ' ' + IMG}))
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, 'search-status').get_attribute('data-state') in ('done', 'error'))
    check(driver.find_element(By.ID, 'q').get_attribute('value') == SCRIPT + ' ' + IMG,
          'a query holding markup is put back in the box as typed')
    no_alert(driver, 'anywhere')


def test_errors(driver, base):
    driver.get(base + '/?' + urllib.parse.urlencode({'q': '(双减 OR 减负'}))
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, 'search-status').get_attribute('data-state') == 'error')
    msg = driver.find_element(By.ID, 'search-status').text
    check('(' in msg and js_count(driver, '#hits li.hit') == 0, 'a bad query shows the server\'s message: ' + msg)


def console_errors(driver):
    return [e for e in driver.get_log('browser') if e.get('level') == 'SEVERE'
            and 'favicon.ico' not in e.get('message', '')]


def screenshot(driver, base, path):
    driver.set_window_size(1280, 1250)
    open_search(driver, base, '双减')
    hit = driver.find_element(By.CSS_SELECTOR, '#hits li.hit[data-id="tonghua/3.4/4"]')
    # the Markdown citation: the text one names the temporary corpus directory, which
    # would make every run's picture differ
    hit.find_element(By.CSS_SELECTOR, 'button.cite[data-format="markdown"]').click()
    WebDriverWait(driver, WAIT).until(lambda d: hit.find_element(By.CSS_SELECTOR, '.copied').text.startswith('已'))
    driver.execute_script('window.scrollTo(0, 0); document.activeElement.blur()')
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    check(driver.save_screenshot(path), 'a screenshot of /?q=双减 saved to ' + path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--serve', required=True)
    ap.add_argument('--index', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--screenshot')
    args = ap.parse_args()
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if webdriver is None or missing:
        print('SKIP: needs Debian\'s chromium, chromium-driver and python3-selenium (missing: %s)'
              % ', '.join(missing + ([] if webdriver else ['selenium'])))
        return SKIP

    tmp = tempfile.mkdtemp(prefix='policy-browser-')
    server = driver = None
    log = open(os.path.join(tmp, 'serve.log'), 'w+')
    try:
        corpus, db, downloads = (os.path.join(tmp, d) for d in ('corpus', 'index', 'downloads'))
        make_corpus(args.corpus, corpus)
        os.makedirs(downloads)
        subprocess.run([args.index, '--corpus', corpus, '--db', db, '--quiet'], check=True,
                       stdout=subprocess.DEVNULL)
        server = Server(args.serve, db, log)
        driver = start_browser(downloads)
        driver.execute_cdp_cmd('Browser.grantPermissions', {
            'origin': server.base, 'permissions': ['clipboardReadWrite', 'clipboardSanitizedWrite']})
        test_search(driver, server.base)
        test_cite(driver, server.base)
        test_document(driver, server.base)
        test_freq(driver, server.base, downloads)
        test_kwic(driver, server.base)
        test_escaping(driver, server.base)
        test_errors(driver, server.base)
        if args.screenshot:
            screenshot(driver, server.base, args.screenshot)
        errors = console_errors(driver)
        # the bad query's 400 is logged by the browser as a failed resource; nothing else may be
        errors = [e for e in errors if 'status of 400' not in e.get('message', '')]
        check(not errors, 'no script errors in the console %s' % [e['message'] for e in errors])
        return 0
    except Exception as e:  # any failure, reported with what the page showed
        print('not ok - %s: %s' % (type(e).__name__, e.msg if isinstance(e, TimeoutException) and e.msg else e))
        traceback.print_exc()
        if driver:
            print('page at failure: ' + driver.current_url)
            try:
                driver.save_screenshot(os.path.join(os.getcwd(), 'browser-failure.png'))
                print('screenshot: ' + os.path.join(os.getcwd(), 'browser-failure.png'))
            except Exception:  # a screenshot is a courtesy; the failure is already reported
                pass
        return 1
    finally:
        if driver:
            driver.quit()
        if server:
            server.stop()
        log.seek(0)
        tail = log.read()[-4000:]
        if tail:
            print('--- policy-serve log (last 4000 characters) ---\n' + tail)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
