from tests.adapters.teams.conftest import Teams

def test_smoke(teams: Teams) -> None:
    status, body = teams.say("<at>Staffroom</at> help")
    print(status, body)
    for c in teams.connector.calls:
        print(c.method, c.path, str(c.body)[:600])
    assert status == 200
