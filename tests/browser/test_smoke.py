def test_case_page_opens_in_chromium(page, site_url):
    page.goto(site_url + "cas/niort-portail-ressources-naturelles/")
    assert page.locator("h1").first.inner_text().startswith("Niort")
