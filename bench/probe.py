"""One person outside locust, for `make load`: a GET of the form every INTERVAL seconds on a
connection of its own, timed from the request to the last byte of the answer, one line per
answer ("<time.time() at the start> <ms>") in the file it is given, until it is stopped.

A process of its own: neither locust's scheduling of its people nor the script's SMTP sink
(a burst of emails holds its interpreter) delays what it times.

    python -m bench.probe PORT FILE"""

import http.client
import signal
import sys
import time

INTERVAL = 0.25


def main(port: int, path: str) -> None:
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    with open(path, "a", buffering=1) as out:
        while True:
            time.sleep(INTERVAL)
            started, begun = time.time(), time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", "/signup/")
                connection.getresponse().read()
            except OSError:
                continue  # locust counts the errors; the probe times answers
            finally:
                connection.close()
            out.write(f"{started} {(time.perf_counter() - begun) * 1000:.2f}\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
