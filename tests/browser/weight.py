"""What a page costs on the wire, cold cache: each request and its bytes, read from Chromium's DevTools protocol."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Transfer:
    """One request and its response, as Chromium's network stack saw it."""

    url: str
    resource_type: str = ""
    status: int = 0
    mime_type: str = ""
    content_encoding: str = ""
    # Bytes received for this response: headers and the body as sent (compressed).
    wire_bytes: int = 0
    # The body after decoding: what the page would cost without compression.
    body_bytes: int = 0
    finished: bool = False
    failure: str = ""

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PageWeight:
    url: str
    transfers: list[Transfer] = field(default_factory=list)
    web_fonts: int = 0

    @property
    def requests(self) -> int:
        return len(self.transfers)

    @property
    def wire_bytes(self) -> int:
        return sum(t.wire_bytes for t in self.transfers)

    @property
    def body_bytes(self) -> int:
        return sum(t.body_bytes for t in self.transfers)

    @property
    def document(self) -> Transfer | None:
        """The page itself: the last hop of the navigation, after any redirects."""
        documents = [t for t in self.transfers if t.resource_type == "Document"]
        return documents[-1] if documents else None

    def third_party(self) -> list[Transfer]:
        own = urlsplit(self.url)
        return [t for t in self.transfers if t.origin != f"{own.scheme}://{own.netloc}"]

    def fonts(self) -> list[Transfer]:
        return [t for t in self.transfers if t.resource_type == "Font" or t.mime_type.startswith(("font/", "application/font"))]

    def describe(self) -> str:
        lines = [f"{self.url}: {self.requests} requests, {self.wire_bytes} B transferred, {self.body_bytes} B decoded"]
        for t in self.transfers:
            lines.append(
                f"  {t.status} {t.resource_type or '?':<10} {t.wire_bytes:>7} B wire {t.body_bytes:>7} B body "
                f"{t.content_encoding or 'identity':<8} {t.url}{' FAILED ' + t.failure if t.failure else ''}"
            )
        return "\n".join(lines)


def measure_cold(browser, url: str, *, storage_state: dict | None = None, javascript: bool = True) -> PageWeight:
    """Load ``url`` in a new browser context (empty cache) and record every request it makes.

    ``storage_state`` brings only cookies (a signed-in learner), never cached files.
    """
    context = browser.new_context(storage_state=storage_state, java_script_enabled=javascript)
    try:
        return load_cold(context.new_page(), url).weight(url)
    finally:
        context.close()


def load_cold(page, url: str) -> NetworkLog:
    """Open ``url`` in ``page`` with the HTTP cache off, recording every request, until the network is
    quiet; the page stays open, and the log goes on recording, for whatever the caller does next."""
    log = NetworkLog(page)
    page.goto(url, wait_until="load")
    log.settle()
    return log


class NetworkLog:
    """Every request of one page, from Chromium's DevTools protocol, with the HTTP cache disabled."""

    def __init__(self, page) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.transfers: dict[str, Transfer] = {}  # by request id: the hop in flight
        self.in_order: list[Transfer] = []
        self.cdp.on("Network.requestWillBeSent", self._will_be_sent)
        self.cdp.on("Network.responseReceived", self._response_received)
        self.cdp.on("Network.dataReceived", self._data_received)
        self.cdp.on("Network.loadingFinished", self._loading_finished)
        self.cdp.on("Network.loadingFailed", self._loading_failed)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def settle(self, quiet_ms: int = 250, timeout_ms: int = 30_000) -> None:
        """Wait until no request has been in flight for ``quiet_ms``: whatever the page fetches after
        "load" (scripts, lazy images, images a wider screen shows) counts too. Playwright's
        "networkidle" waits the same way, for a fixed 500 ms."""
        waited = 0
        while waited < timeout_ms:
            seen = len(self.in_order)
            if all(t.finished for t in self.in_order):
                self.page.wait_for_timeout(quiet_ms)
                waited += quiet_ms
                if len(self.in_order) == seen and all(t.finished for t in self.in_order):
                    return
            else:
                self.page.wait_for_timeout(50)
                waited += 50

    def weight(self, url: str) -> PageWeight:
        # Fonts the page declared (@font-face), whether or not the text used them.
        fonts = self.cdp.send("Runtime.evaluate", {"expression": "document.fonts.size", "returnByValue": True})
        weight = PageWeight(url=url, transfers=list(self.in_order),
                            web_fonts=int(fonts.get("result", {}).get("value", 0) or 0))
        unfinished = [t.url for t in weight.transfers if not t.finished]
        if unfinished:
            raise AssertionError(f"requests still open after the network went idle: {unfinished}")
        return weight

    def _will_be_sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith(("http:", "https:")):
            return  # data: and blob: URLs never touch the network
        request_id = event["requestId"]
        if (redirect := event.get("redirectResponse")) and request_id in self.transfers:
            # A redirect ends one hop and starts another under the same request id.
            hop = self.transfers.pop(request_id)
            hop.status = redirect["status"]
            hop.wire_bytes = int(redirect.get("encodedDataLength", 0))
            hop.finished = True
        self.transfers[request_id] = Transfer(url=url, resource_type=event.get("type", ""))
        self.in_order.append(self.transfers[request_id])

    def _response_received(self, event: dict) -> None:
        if (transfer := self.transfers.get(event["requestId"])) is None:
            return
        response = event["response"]
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        transfer.status = response["status"]
        transfer.mime_type = response.get("mimeType", "")
        transfer.content_encoding = headers.get("content-encoding", "")
        transfer.resource_type = event.get("type", transfer.resource_type)

    def _data_received(self, event: dict) -> None:
        if (transfer := self.transfers.get(event["requestId"])) is not None:
            transfer.body_bytes += int(event["dataLength"])

    def _loading_finished(self, event: dict) -> None:
        if (transfer := self.transfers.get(event["requestId"])) is not None:
            transfer.wire_bytes = int(event["encodedDataLength"])
            transfer.finished = True

    def _loading_failed(self, event: dict) -> None:
        if (transfer := self.transfers.get(event["requestId"])) is not None:
            transfer.failure = event.get("errorText", "failed")
            transfer.finished = True
