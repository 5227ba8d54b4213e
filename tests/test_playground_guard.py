"""The playground answers its own page on its own address, and a hostile request gets a
sentence: a foreign Host (DNS rebinding), a foreign Origin, a body a form could send,
JSON nested thousands deep, a CSV field past the csv module's limit, a client starting
sessions in a loop."""

import warnings

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet.playground import Limits, create_app  # noqa: E402

LOCAL = "http://127.0.0.1:8000"
XOR = {"dataset": "xor", "test_fraction": 0}


@pytest.fixture()
def client():
    # raise_server_exceptions (the default): an exception that would be logged as a
    # traceback by uvicorn fails the test here
    with TestClient(create_app(), base_url=LOCAL) as c:
        yield c


def _refused(response, status, words):
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert words in message and len(message) < 300
    return message


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "testserver", ""])
def test_a_foreign_host_is_refused_before_any_work(client, host):
    _refused(client.get("/api/options", headers={"host": host}), 400, "answers only requests")
    _refused(client.post("/api/train", json=XOR, headers={"host": host}), 400, repr(host))
    assert len(client.app.state.sessions) == 0


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST",
                                  "127.0.0.1"])
def test_this_machines_names_are_answered(client, host):
    assert client.get("/api/options", headers={"host": host}).status_code == 200


def test_the_server_answers_its_own_port_only():
    from glassnet.playground.server import served_hosts

    hosts = served_hosts("127.0.0.1", 8123)
    assert hosts == {"127.0.0.1:8123", "localhost:8123", "[::1]:8123"}
    assert "[::1]:8123" in served_hosts("::1", 8123)
    app = TestClient(create_app(hosts=hosts), base_url="http://127.0.0.1:8123")
    assert app.get("/api/options").status_code == 200
    _refused(app.get("/api/options", headers={"host": "127.0.0.1:8000"}), 400, "127.0.0.1:8000")
    _refused(app.get("/api/options", headers={"host": "localhost"}), 400, "localhost")


def test_a_foreign_origin_cannot_change_anything(client):
    for origin in ["http://evil.example", "null", "http://127.0.0.1:9999",
                   "https://127.0.0.1:8000"]:
        response = client.post("/api/train", json=XOR, headers={"origin": origin})
        _refused(response, 403, "only from its own page (http://127.0.0.1:8000)")
    upload = client.post("/api/datasets", files={"file": ("a.csv", b"0,0,a\n1,1,b\n")},
                         headers={"origin": "http://evil.example"})
    _refused(upload, 403, "'http://evil.example'")
    assert len(client.app.state.sessions) == 0
    own = client.post("/api/train", json=XOR, headers={"origin": LOCAL})
    assert own.status_code == 200 and len(client.app.state.sessions) == 1
    # reading is not changing: a foreign page cannot read the answer without CORS anyway
    assert client.get("/api/options", headers={"origin": "http://evil.example"}).status_code == 200


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded",
                                  "multipart/form-data; boundary=x", None])
def test_a_body_a_plain_form_could_send_is_refused(client, kind):
    headers = {"content-type": kind} if kind else {}
    response = client.post("/api/train", content=b'{"dataset": "xor"}', headers=headers)
    _refused(response, 415, "expects a body of type application/json")
    assert len(client.app.state.sessions) == 0


def test_an_upload_must_be_multipart(client):
    response = client.post("/api/datasets", content=b"0,0,a\n1,1,b\n",
                           headers={"content-type": "text/csv"})
    _refused(response, 415, "multipart/form-data, got 'text/csv'")


@pytest.mark.parametrize("depth", [5000, 990])
def test_deeply_nested_json_gets_a_sentence(client, depth):
    body = b"[" * depth + b"]" * depth
    for path in ["/api/step", "/api/train"]:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        _refused(response, 400, "nested too deeply")
    assert client.get("/api/options").status_code == 200


def test_a_csv_field_past_the_csv_limit_gets_a_sentence(client):
    huge = b"x1,x2,label\n0,0," + b"a" * (128 * 1024 + 1) + b"\n1,1,b\n"
    response = client.post("/api/datasets", files={"file": ("huge.csv", huge, "text/csv")})
    _refused(response, 400, "cannot be read as CSV (field larger than field limit")
    quote = b'x1,x2,label\n0,0,"' + b"a" * (130 * 1024) + b"\n"  # never closed
    _refused(client.post("/api/datasets", files={"file": ("q.csv", quote)}), 400, "as CSV")


def test_one_client_starting_sessions_replaces_only_its_own():
    app = create_app(Limits(max_sessions=4, max_sessions_per_client=2))
    alice = TestClient(app, base_url=LOCAL, client=("10.0.0.1", 1))
    mallory = TestClient(app, base_url=LOCAL, client=("10.0.0.2", 1))
    mine = alice.post("/api/train", json=XOR).json()["id"]
    theirs = [mallory.post("/api/train", json=XOR).json()["id"] for _ in range(50)]
    assert alice.get(f"/api/train/{mine}").status_code == 200
    assert len(app.state.sessions) == 3  # alice's one and mallory's last two
    assert mallory.get(f"/api/train/{theirs[-1]}").status_code == 200
    assert mallory.get(f"/api/train/{theirs[-3]}").status_code == 404
    # past the total, the client holding the most loses its least recently used
    carol = TestClient(app, base_url=LOCAL, client=("10.0.0.3", 1))
    carol.post("/api/train", json=XOR)
    carol.post("/api/train", json=XOR)
    assert alice.get(f"/api/train/{mine}").status_code == 200
    assert len(app.state.sessions) == 4
