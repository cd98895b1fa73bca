"""The signup benchmark's pieces (bench/): the CPU reader, the SMTP sink, the payloads and
the goals it reports."""

import asyncio
import itertools
import os
import smtplib
import threading
from collections import Counter
from email.message import EmailMessage
from email.policy import SMTP

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend

from bench import signup as bench
from bench.mailsink import MailSink
from bench.procstat import is_backend_of, parse_stat
from bench.signup_load import Load, signups
from candidates.forms.intake import SignupForm


def test_a_stat_line_gives_the_group_and_all_four_cpu_times():
    # A command name may hold spaces and parentheses; fields 14-17 are utime stime cutime cstime.
    line = "4242 (gunicorn: worker (x)) S 1 4200 4100 0 -1 4194560 9 0 0 0 120 30 7 3 20 0 1 0 5"
    assert parse_stat(line) == (4200, 160)


def test_this_process_reads_its_own_group_from_proc():
    with open("/proc/self/stat") as stat:
        group, ticks = parse_stat(stat.read())
    assert group == os.getpgrp()
    assert ticks >= 0


def test_only_backends_of_the_bench_database_count():
    title = "postgres: 15/main: postgres {} 127.0.0.1(50312) idle "
    assert is_backend_of(title.format("rfs_bench_signup"), "rfs_bench_signup")
    assert not is_backend_of(title.format("rfs_bench_signup_x"), "rfs_bench_signup")
    assert not is_backend_of("postgres: 15/main: walwriter ", "rfs_bench_signup")
    assert not is_backend_of("python rfs_bench_signup ", "rfs_bench_signup")


def test_the_sink_counts_every_message_and_sees_one_sent_twice():
    sink = MailSink()
    with sink.running() as port, smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, key in [("a@example.org", "1"), ("b@example.org", "2"), ("a@example.org", "1")]:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "rfs@example.org", to, "Hi"
            message["X-RFS-Notification"] = key
            message.set_content("Thank you for signing up.")
            smtp.send_message(message)
    assert sink.count == 3
    assert MailSink.sent_twice(sink.received) == (1, 1)
    assert sink.received == [
        ("1", ("a@example.org",)),
        ("2", ("b@example.org",)),
        ("1", ("a@example.org",)),
    ]


def test_the_sink_reads_the_message_id_when_there_is_no_notification_header():
    sink = MailSink()
    body = "A line\n.A line that starts with a dot\n.\nAnd the end."
    with sink.running() as port, smtplib.SMTP("127.0.0.1", port) as smtp:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            "rfs@example.org",
            "c@example.org",
            "Hi",
        )
        message["Cc"] = "d@example.org"
        message["Message-ID"] = "<7f1c@rfs.example.org>"
        message.set_content(body)
        smtp.send_message(message)
        smtp.rset()
        assert smtp.noop()[0] == 250
        # A long header folded over lines is read whole.
        folded = EmailMessage()
        folded["From"], folded["To"], folded["Subject"] = "rfs@example.org", "e@example.org", "Hi"
        folded["Message-ID"] = "<" + "x" * 90 + "@rfs.example.org>"
        smtp.sendmail(
            "rfs@example.org",
            ["e@example.org"],
            folded.as_bytes(policy=SMTP).replace(b"Message-ID: ", b"Message-ID:\r\n "),
        )
    assert sink.received == [
        ("<7f1c@rfs.example.org>", ("c@example.org", "d@example.org")),
        ("<" + "x" * 90 + "@rfs.example.org>", ("e@example.org",)),
    ]


def test_the_sink_takes_a_batch_over_one_connection_from_djangos_smtp_backend():
    sink = MailSink()
    with sink.running() as port:
        backend = EmailBackend(host="127.0.0.1", port=port, use_tls=False, username="", password="")
        messages = [
            EmailMultiAlternatives(
                "Thank you",
                "Téxt",
                "rfs@example.org",
                [f"p{n}@example.org"],
                headers={"X-RFS-Notification": f"n{n}"},
            )
            for n in range(5)
        ]
        for message in messages:
            message.attach_alternative("<p>Téxt</p>", "text/html")
        assert backend.send_messages(messages) == 5
    assert sink.received == [(f"n{n}", (f"p{n}@example.org",)) for n in range(5)]


def test_the_bench_posts_valid_signups_of_new_people():
    payloads = list(itertools.islice(signups("t"), 20_005))
    for data in (payloads[0], payloads[9_999], payloads[20_004]):
        form = SignupForm(data={**data})
        assert form.is_valid(), form.errors
    assert len({p["email"] for p in payloads}) == len({p["phone"] for p in payloads}) == 20_005


def test_the_sink_serves_while_the_calling_thread_runs_an_event_loop():
    sink = MailSink()

    async def send_one() -> None:
        with sink.running() as port:

            def send() -> None:
                with smtplib.SMTP("127.0.0.1", port) as smtp:
                    smtp.sendmail(
                        "rfs@example.org", ["f@example.org"], b"Message-ID: <m@x>\r\n\r\nHi"
                    )

            await asyncio.to_thread(send)

    # In a thread of its own: the thread pytest runs in may be running a loop already.
    failures = []
    thread = threading.Thread(target=lambda: failures.extend(_failure(send_one)))
    thread.start()
    thread.join(timeout=30)
    assert failures == []
    assert sink.received == [("<m@x>", ("f@example.org",))]


def _failure(coroutine_function) -> list[Exception]:
    try:
        asyncio.run(coroutine_function())
    except Exception as exc:  # handed to the test's thread, which fails on it
        return [exc]
    return []


def _result(app: str, *, signups: int, cpu: dict[str, float]) -> bench.Result:
    load = Load(statuses=Counter({302: signups}), seconds=15.0)
    return bench.Result(bench.APPS[app], load, cpu, signups, signups, 0, (0, 0), Counter(), 0, 0)


def test_the_cpu_goal_is_judged_in_milliseconds_and_as_a_ratio_to_the_bare_view():
    # The bare view at 2 ms a signup (a slower machine than the goal's 0.8 ms), the project
    # at 9 ms: over 4 ms, but within 5x the bare view's.
    baseline = _result("baseline", signups=1000, cpu={"web": 1.5, "database": 0.5})
    project = _result("project", signups=100, cpu={"web": 0.6, "database": 0.2, "worker": 0.1})
    lines = bench.goals(project, baseline, (0.1, 3.0)).splitlines()
    assert "all included: 9.0 ms, NOT met" in lines[1]
    assert "4.5x its 2.00 ms in this run, met" in lines[2]
    slower = _result("project", signups=100, cpu={"web": 0.9, "database": 0.2, "worker": 0.1})
    assert "6.0x its 2.00 ms in this run, NOT met" in bench.goals(slower, baseline, (0.1, 3.0))
