"""Load Request Tracker with the bench's volume (see bench/README.md, "Request Tracker side by side").

A few hundred tickets are created through REST2 (``POST /REST/2.0/ticket``, the way RT writes a
ticket: its role groups, the Create transaction and its attachment), then the rows are copied in
SQL up to ``--size`` tickets, one ``INSERT ... SELECT`` per table, with each copy consistent the
way RT keeps it: the ticket, its four role groups (Principals, Groups, GroupMembers,
CachedGroupMembers with their self rows), the Create transaction and attachment, a reply on 60%
of the tickets that were answered, the status changes of the ones resolved or rejected. Dates
spread over two years with the BİYS bench's mix of states, "yazici" in a sixth of the subjects.

Run by bench/rt/setup.sh on a freshly initialised RT database; standard library + psycopg.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg

# The BİYS bench's titles, with "Yazıcı" written the way the search word is typed (RT's simple
# search is Subject LIKE, it does not fold ı to i): 2 of 12 titles, a sixth of the tickets.
TITLES = [
    "Yazici çalışmıyor",
    "Kağıt sıkışması, yazici hata veriyor",
    "Bilgisayar açılmıyor",
    "İnternet bağlantısı yok",
    "EBYS yetki talebi",
    "e-İmza sertifikası yenileme",
    "Mobil imza başvurusu",
    "Toplantı salonu projeksiyon desteği",
    "Yeni kullanıcı hesabı açılması",
    "Monitör değişimi talebi",
    "CBS katman yetkisi",
    "E-posta kutusu dolu",
]
UNITS = [
    "Fen İşleri",
    "Zabıta",
    "İmar ve Şehircilik",
    "Mali Hizmetler",
    "İnsan Kaynakları ve Eğitim",
    "Kültür ve Sosyal İşler",
    "Park ve Bahçeler",
    "Temizlik İşleri",
    "Emlak ve İstimlak",
    "Yazı İşleri",
]
NAMES = ["ayse", "mehmet", "fatma", "mustafa", "emine", "ahmet", "hatice", "ali", "zeynep", "elif"]
SURNAMES = ["yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "ozturk", "aydin", "arslan"]
REPLY = "İnceleniyor, en kısa sürede dönüş yapılacak."


def create_seed(url: str, cookie: str, index: int) -> int:
    name = NAMES[index % len(NAMES)]
    surname = SURNAMES[index // len(NAMES) % len(SURNAMES)]
    body = {
        "Queue": "General",
        "Subject": f"{TITLES[index % len(TITLES)]} - {UNITS[index % len(UNITS)]}",
        "Content": f"Oda {index % 300}, dahili {index % 9000 + 1000}.",
        "ContentType": "text/plain",
        "Requestor": f"{name}.{surname}@belediye.example",
    }
    request = urllib.request.Request(
        f"{url}/REST/2.0/ticket",
        data=json.dumps(body).encode(),
        # A signed-in session: a token would cost a bcrypt (cost 12) per request.
        headers={"Cookie": cookie, "Referer": f"{url}/", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return int(json.load(response)["id"])


PLAN = """
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
    SELECT n AS id, 1 + (n - 1) %% %(seeds)s AS template,
           date_trunc('second', %(now)s - interval '730 days' * (1 - n::float8 / %(size)s)
               - interval '1 hour' * random()) AS created,
           random() AS roll, random() AS roll2
    FROM generate_series(1, %(size)s) AS n
), stated AS (
    SELECT base.*,
           CASE WHEN created < %(now)s - interval '30 days' THEN
                CASE WHEN roll < 0.88 THEN 'resolved' WHEN roll < 0.94 THEN 'rejected'
                     WHEN roll < 0.97 THEN 'stalled' ELSE 'open' END
           ELSE
                CASE WHEN roll < 0.45 THEN 'resolved' WHEN roll < 0.55 THEN 'new'
                     WHEN roll < 0.88 THEN 'open' WHEN roll < 0.95 THEN 'stalled'
                     WHEN roll < 0.97 THEN 'rejected' ELSE 'open' END
           END AS status
    FROM base
)
SELECT stated.*,
       CASE WHEN status = 'new' THEN %(nobody)s ELSE %(owner)s END AS owner,
       status NOT IN ('new', 'rejected') AND roll2 < 0.6 AS replied,
       CASE WHEN status IN ('new', 'rejected') THEN NULL
            ELSE LEAST(date_trunc('second', created + interval '1 hour' * (0.1 + 3 * roll2)),
                       %(now)s) END AS answered,
       CASE WHEN status IN ('resolved', 'rejected')
            THEN LEAST(date_trunc('second', created + interval '1 hour' * (4 + 40 * roll2)),
                       %(now)s) END AS closed
FROM stated
"""


def copy_rows(dsn: str, seeds: int, size: int, owner: int) -> dict:
    """Everything after the seed tickets, in SQL; returns row counts."""
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SELECT min(id), max(id), count(*) FROM Tickets")
        first, last, count = cur.fetchone()
        assert (first, last, count) == (1, seeds, seeds), "expects a fresh RT with only the seeds"
        cur.execute("SELECT id FROM Users WHERE Name = 'Nobody'")
        nobody = cur.fetchone()[0]
        cur.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamp(0)")
        now = cur.fetchone()[0]
        cur.execute("DROP TABLE IF EXISTS bench_plan")
        params = {"seeds": seeds, "size": size, "now": now, "nobody": nobody, "owner": owner}
        cur.execute(PLAN, params)
        cur.execute("CREATE UNIQUE INDEX ON bench_plan (id)")
        # The requester of each seed (its Requestor role group's member).
        cur.execute(
            """CREATE TEMP TABLE bench_seed AS
               SELECT g.instance AS template, gm.memberid AS requestor,
                      a.id AS attachment, t.id AS txn
               FROM Groups g JOIN GroupMembers gm ON gm.groupid = g.id
               JOIN Transactions t ON t.objecttype = 'RT::Ticket' AND t.objectid = g.instance
                    AND t.type = 'Create'
               JOIN Attachments a ON a.transactionid = t.id AND a.parent = 0
               WHERE g.domain = 'RT::Ticket-Role' AND g.name = 'Requestor'"""
        )
        cur.execute("SELECT count(*) FROM bench_seed")
        assert cur.fetchone()[0] == seeds, "every seed has one requester and one Create"

        def top(table: str) -> int:
            cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            return cur.fetchone()[0]

        ids = {
            "p": top("Principals"),
            "gm": top("GroupMembers"),
            "cgm": top("CachedGroupMembers"),
            "t": top("Transactions"),
            "a": top("Attachments"),
        }
        params.update(ids)

        def copies(joins: str = "") -> str:
            return f"FROM bench_plan p {joins} WHERE p.id > %(seeds)s"

        seed = "JOIN bench_seed s ON s.template = p.template"
        k = "(p.id - %(seeds)s - 1)"  # 0-based index of a copy
        statements = [
            # The seeds take their place in the plan: dates, state, owner.
            """UPDATE Tickets t SET Created = p.created, Status = p.status, Owner = p.owner,
                   Started = coalesce(p.answered, '1970-01-01'),
                   Told = p.answered,
                   Resolved = coalesce(p.closed, '1970-01-01'),
                   LastUpdated = coalesce(p.closed, p.answered, p.created)
               FROM bench_plan p WHERE p.id = t.id""",
            """UPDATE Transactions t SET Created = p.created FROM bench_plan p
               WHERE t.objecttype = 'RT::Ticket' AND t.objectid = p.id AND t.type = 'Create'""",
            """UPDATE Attachments a SET Created = t.created FROM Transactions t
               WHERE a.transactionid = t.id AND t.objecttype = 'RT::Ticket'""",
            """UPDATE GroupMembers gm SET MemberId = p.owner
               FROM Groups g, bench_plan p
               WHERE gm.groupid = g.id AND g.domain = 'RT::Ticket-Role' AND g.name = 'Owner'
                 AND g.instance = p.id""",
            """UPDATE CachedGroupMembers c SET MemberId = p.owner
               FROM Groups g, bench_plan p
               WHERE c.groupid = g.id AND c.memberid <> c.groupid
                 AND g.domain = 'RT::Ticket-Role' AND g.name = 'Owner' AND g.instance = p.id""",
            # The copies.
            f"""INSERT INTO Tickets (id, EffectiveId, IsMerged, Queue, Type, Owner, Subject,
                   InitialPriority, FinalPriority, Priority, TimeEstimated, TimeWorked, Status,
                   TimeLeft, Told, Starts, Started, Due, Resolved, LastUpdatedBy, LastUpdated,
                   Creator, Created)
               SELECT p.id, p.id, s.IsMerged, s.Queue, s.Type, p.owner, s.Subject,
                   s.InitialPriority, s.FinalPriority, s.Priority, 0, 0, p.status,
                   0, p.answered, s.Starts, coalesce(p.answered, '1970-01-01'), s.Due,
                   coalesce(p.closed, '1970-01-01'), s.Creator,
                   coalesce(p.closed, p.answered, p.created), s.Creator, p.created
               {copies("JOIN Tickets s ON s.id = p.template")}""",
            f"""INSERT INTO Principals (id, PrincipalType, Disabled)
               SELECT %(p)s + 4 * {k} + r.n, 'Group', 0
               {copies("CROSS JOIN generate_series(0, 3) AS r(n)")}""",
            f"""INSERT INTO Groups (id, Name, Description, Domain, Instance, Creator, Created,
                   LastUpdatedBy, LastUpdated)
               SELECT %(p)s + 4 * {k} + r.n,
                   (ARRAY['AdminCc', 'Cc', 'Owner', 'Requestor'])[r.n + 1], '',
                   'RT::Ticket-Role', p.id, %(owner)s, p.created, %(owner)s, p.created
               {copies("CROSS JOIN generate_series(0, 3) AS r(n)")}""",
            f"""INSERT INTO GroupMembers (id, GroupId, MemberId, Creator, Created, LastUpdatedBy,
                   LastUpdated)
               SELECT %(gm)s + 2 * {k} + r.n, %(p)s + 4 * {k} + 2 + r.n,
                   CASE WHEN r.n = 0 THEN p.owner ELSE s.requestor END,
                   %(owner)s, p.created, %(owner)s, p.created
               {copies(seed + " CROSS JOIN generate_series(0, 1) AS r(n)")}""",
            # Each role group contains itself, the Owner group its owner, Requestor its requester.
            f"""INSERT INTO CachedGroupMembers (id, GroupId, MemberId, Via, ImmediateParentId,
                   Disabled)
               SELECT c.id, c.groupid, c.memberid, c.id, c.groupid, 0 FROM (
                   SELECT %(cgm)s + 6 * {k} + r.n AS id, %(p)s + 4 * {k}
                           + (CASE WHEN r.n < 4 THEN r.n ELSE r.n - 2 END) AS groupid,
                       CASE WHEN r.n < 4 THEN %(p)s + 4 * {k} + r.n
                            WHEN r.n = 4 THEN p.owner ELSE s.requestor END AS memberid
                   {copies(seed + " CROSS JOIN generate_series(0, 5) AS r(n)")}
               ) c""",
            # Transactions: Create (copies), a reply and the status changes (every ticket).
            f"""INSERT INTO Transactions (id, ObjectType, ObjectId, TimeTaken, Type, Creator,
                   Created)
               SELECT %(t)s + 3 * (p.id - 1), 'RT::Ticket', p.id, 0, 'Create', %(owner)s,
                   p.created
               {copies()}""",
            """INSERT INTO Transactions (id, ObjectType, ObjectId, TimeTaken, Type, Data, Creator,
                   Created)
               SELECT %(t)s + 3 * (p.id - 1) + 1, 'RT::Ticket', p.id, 0, 'Correspond',
                   'No Subject', %(owner)s, p.answered
               FROM bench_plan p WHERE p.replied""",
            """INSERT INTO Transactions (id, ObjectType, ObjectId, TimeTaken, Type, Field,
                   OldValue, NewValue, Creator, Created)
               SELECT %(t)s + 3 * (p.id - 1) + 2, 'RT::Ticket', p.id, 0, 'Status', 'Status',
                   CASE WHEN p.status IN ('open', 'rejected') THEN 'new' ELSE 'open' END, p.status,
                   %(owner)s, coalesce(p.closed, p.answered)
               FROM bench_plan p WHERE p.status <> 'new'""",
            f"""INSERT INTO Attachments (id, TransactionId, Parent, MessageId, Subject, Filename,
                   ContentType, ContentEncoding, Content, Headers, Creator, Created)
               SELECT %(a)s + 2 * (p.id - 1), %(t)s + 3 * (p.id - 1), 0,
                   'bench-' || p.id || '@rt', a.Subject, a.Filename, a.ContentType,
                   a.ContentEncoding, a.Content, a.Headers, %(owner)s, p.created
               {copies(seed + " JOIN Attachments a ON a.id = s.attachment")}""",
            """INSERT INTO Attachments (id, TransactionId, Parent, MessageId, Subject,
                   ContentType, ContentEncoding, Content, Headers, Creator, Created)
               SELECT %(a)s + 2 * (p.id - 1) + 1, %(t)s + 3 * (p.id - 1) + 1, 0,
                   'bench-reply-' || p.id || '@rt', '', 'text/plain', 'none', %(reply)s,
                   'Content-Type: text/plain; charset="utf-8"' || chr(10)
                   || 'X-RT-Interface: REST' || chr(10), %(owner)s, p.answered
               FROM bench_plan p WHERE p.replied""",
        ]
        params["reply"] = REPLY
        for statement in statements:
            started = time.perf_counter()
            cur.execute(statement, params)
            print(
                f"  {cur.rowcount:>8} rows  {time.perf_counter() - started:6.1f} s  "
                f"{' '.join(statement.split())[:70]}",
                flush=True,
            )
        for table, sequence in [
            ("Tickets", "tickets_id_seq"),
            ("Principals", "principals_id_seq"),
            ("Groups", "groups_id_seq"),
            ("GroupMembers", "groupmembers_id_seq"),
            ("CachedGroupMembers", "cachedgroupmembers_id_seq"),
            ("Transactions", "transactions_id_seq"),
            ("Attachments", "attachments_id_seq"),
        ]:
            cur.execute(f"SELECT setval('{sequence}', (SELECT max(id) FROM {table}))")
        cur.execute("DROP TABLE bench_plan")
        conn.commit()
        conn.autocommit = True
        cur.execute("ANALYZE")
        counts = {}
        for table in ("Tickets", "Transactions", "Attachments", "Groups", "CachedGroupMembers"):
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
        cur.execute("SELECT Status, count(*) FROM Tickets GROUP BY Status ORDER BY 2 DESC")
        counts["status"] = dict(cur.fetchall())
        cur.execute("SELECT count(*) FROM Tickets WHERE Subject ILIKE '%%yazici%%'")
        counts["yazici"] = cur.fetchone()[0]
        return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8085")
    parser.add_argument("--cookie", required=True, help="RT_SID_...=... of a signed-in session")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/rt5")
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument("--owner", type=int, required=True, help="the technician's user id")
    args = parser.parse_args()
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        created = sorted(
            pool.map(lambda i: create_seed(args.url, args.cookie, i), range(args.seeds))
        )
    seconds = time.perf_counter() - started
    print(
        f"{len(created)} tickets through REST2 in {seconds:.1f} s "
        f"({len(created) / seconds:.1f} per second)",
        flush=True,
    )
    started = time.perf_counter()
    counts = copy_rows(args.dsn, args.seeds, args.size, args.owner)
    print(f"copied in SQL in {time.perf_counter() - started:.1f} s: {counts}")


if __name__ == "__main__":
    main()
