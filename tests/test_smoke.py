def test_status_on_synthetic(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", "--as-of", "2023-06-30")
    doc = run.json("status", "--as-of", "2023-06-30")
    assert doc["summary"]["on_track"] == 1
