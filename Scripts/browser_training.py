#!/usr/bin/env python3
"""Plays a short training drill end to end in a real browser (headless Chromium through Selenium).

Starts `jukisim-train` on 127.0.0.1 with fixed tokens, reads the drill's answer key from
`jukisim cases generate` (the same drill and seed give the same cases in both programs), and as a trainee:
logs in, takes three cases (one decided wrongly on purpose), searches the register, finishes, and checks the score
(2 of 3 decisions right), the after-action timeline and the office beside the desk (the other counters, and
the accepted cases' journeys through the simulated network). Then, as the trainer, checks the cohort table, the heat map
and the CSV export. Saves screenshots of the counter and of the trainer's view.

Usage: Scripts/browser_training.py BIN_DIR DRILL SCREENSHOT_DIR
Needs Debian's `chromium` and `chromium-driver`, and Selenium (pip install selenium).
Exits 1 naming the step that failed.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

TRAINER = "trainer-browser-token-0001"
TRAINEE = "aoki-browser-token-0001"


def fail(step, detail):
    print(f"FAIL: {step}: {detail}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    fail("start", f"the server did not answer {url} within {seconds} s")


def main():
    bin_dir, drill, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp()
    # The answer key, from the command-line tool.
    subprocess.run([os.path.join(bin_dir, "jukisim"), "cases", "generate", "--drill", drill, "--output", work,
                    "--quiet"], check=True)
    cases = json.load(open(os.path.join(work, "cases.json"), encoding="utf-8"))["cases"]
    tokens = os.path.join(work, "tokens.json")
    json.dump({"trainer": TRAINER, "trainees": [{"name": "aoki", "token": TRAINEE}]}, open(tokens, "w"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([os.path.join(bin_dir, "jukisim-train"), drill, "--tokens", tokens, "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(base + "/")
        play(base, cases, shots)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print("browser drill: 3 cases played, score and timeline checked, trainer view checked")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100", "--lang=ja"]:
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for_any(driver, ids, step):
    """Waits for the page after a form's redirect: until one of the elements `ids` is there."""
    try:
        WebDriverWait(driver, 15).until(EC.any_of(*[EC.presence_of_element_located((By.ID, i)) for i in ids]))
    except Exception:
        fail(step, "the page did not show " + " or ".join(ids) + ": "
             + driver.find_element(By.TAG_NAME, "body").text[:1500])


def decide(driver, case, right):
    expected = case["expected"]
    verdict = expected["verdict"] if right else ("refuse" if expected["verdict"] == "accept" else "accept")
    driver.find_element(By.ID, f"verdict-{verdict}").click()
    if verdict == "refuse":
        reasons = expected["reasons"] if right else []
        wrong = next(r for r in ["cardRevoked", "recordNotRemoved", "tooFewFacts"] if r not in case["planted"])
        Select(driver.find_element(By.ID, "reason")).select_by_value(reasons[0] if reasons else wrong)
    else:
        values = {f["field"]: f["value"] for f in expected["fields"]}
        fillers = {"name": "試験　太郎", "birthDate": "1980-01-01", "sex": "男", "address": "藤沢市朝日町1番1号",
                   "movedIn": "2026-03-01", "dateOfDeath": "2026-03-01", "copies": "1", "includeNumber": "no",
                   "residentCode": case.get("personCode") or "12345678906"}
        for field in ["name", "birthDate", "sex", "address", "movedIn", "dateOfDeath", "copies", "includeNumber",
                      "residentCode"]:
            boxes = driver.find_elements(By.ID, f"field-{field}")
            if boxes:
                boxes[0].send_keys(values.get(field, fillers[field]))
    driver.find_element(By.ID, "decide").click()
    wait_for_any(driver, ["call", "finished", "message"], f"case {case['id']}")
    if driver.find_elements(By.ID, "message"):
        fail(f"case {case['id']}", driver.find_element(By.ID, "message").text)


def play(base, cases, shots):
    driver = browser()
    try:
        driver.get(base + "/")
        driver.find_element(By.ID, "token").send_keys(TRAINEE)
        driver.find_element(By.ID, "login").click()
        wait_for_any(driver, ["call"], "login")
        if "/counter" not in driver.current_url:
            fail("login", driver.current_url)
        if "SYNTHETIC DATA" not in driver.find_element(By.ID, "synthetic").text:
            fail("login", "the counter page is not marked as synthetic data")
        for k, case in enumerate(cases[:3]):
            driver.find_element(By.ID, "call").click()
            wait_for_any(driver, ["case-title"], f"case {case['id']}")
            title = driver.find_element(By.ID, "case-title").text
            if not title.startswith(f"Case {case['id']}:"):
                fail(f"case {case['id']}", f"the desk shows '{title}', the answer key case {case['id']}")
            if k == 0:
                # The register screen: a search by the name and the birth date of the case's person when the
                # register holds them; then the queue and the case, in a screenshot.
                driver.find_element(By.ID, "search-surname").send_keys("高橋")
                driver.find_element(By.ID, "search-given").send_keys("一郎")
                driver.find_element(By.ID, "search-sex").send_keys("男")
                driver.find_element(By.ID, "search-button").click()
                wait_for_any(driver, ["search-message"], "search")
                message = driver.find_element(By.ID, "search-message").text
                if "refused" not in message:
                    fail("search", f"a name-and-sex search was not refused: '{message}'")
                if not driver.find_elements(By.CSS_SELECTOR, "#office tr"):
                    fail("office", "the counter page does not show the rest of the office")
                driver.save_screenshot(os.path.join(shots, "training-counter.png"))
            decide(driver, case, right=(k != 1))
        # Accepted cases entered the simulated network at this trainee's desk.
        played = [(c["expected"]["verdict"] == "accept") != (k == 1) for k, c in enumerate(cases[:3])]
        if any(played):
            if not driver.find_elements(By.CSS_SELECTOR, "#network tr"):
                fail("network", "no accepted case shows in the network table")
        driver.find_element(By.ID, "finish").click()
        wait_for_any(driver, ["finished"], "finish")
        driver.get(base + "/counter/score")
        right = driver.find_element(By.ID, "decisions-right").text
        if right != "2 of 3":
            fail("score", f"decisions right '{right}', expected '2 of 3'")
        steps = driver.find_elements(By.CSS_SELECTOR, "#timeline li")
        if len(steps) < 10:
            fail("timeline", f"{len(steps)} steps, expected at least 10 (3 arrivals, 3 calls, a search, 3 decisions, "
                             "the finish)")
        errors = driver.find_elements(By.CSS_SELECTOR, "#errors li")
        if not any("wrong" in e.text for e in errors):
            fail("score", "the wrong decision is not among the errors")
        driver.save_screenshot(os.path.join(shots, "training-score.png"))
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if severe:
            fail("console", severe)
        # The trainer.
        driver.delete_all_cookies()
        driver.get(base + "/login?token=" + TRAINER)
        rows = driver.find_elements(By.CSS_SELECTOR, "#cohort tr")
        if len(rows) != 2 or "aoki" not in rows[1].text:
            fail("trainer", f"the cohort table has {len(rows)} rows")
        if not driver.find_elements(By.CSS_SELECTOR, "#heatmap tr"):
            fail("trainer", "no heat map")
        driver.save_screenshot(os.path.join(shots, "training-trainer.png"))
        driver.get(base + "/trainer/session/aoki")
        if len(driver.find_elements(By.CSS_SELECTOR, "#timeline li")) != len(steps):
            fail("replay", "the trainer's replay differs from the trainee's timeline")
        # A trainee's token does not open the trainer's pages.
        driver.delete_all_cookies()
        driver.get(base + "/login?token=" + TRAINEE)
        driver.get(base + "/trainer")
        if "403" not in driver.find_element(By.TAG_NAME, "h1").text:
            fail("roles", "a trainee reached the trainer's view")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
