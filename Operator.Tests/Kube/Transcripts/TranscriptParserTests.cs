namespace SecurityOperator.Tests.Kube.Transcripts;

public sealed class TranscriptParserTests
{
    public static TheoryData<string> AllFiles() => new(TranscriptDirectory.FileNames());

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void Every_file_parses_into_paired_exchanges(string fileName)
    {
        var file = TranscriptDirectory.Load(fileName);
        Assert.NotEmpty(file.Title);
        var requests = file.Sections.Count(s => s.Kind == "REQUEST");
        var kubectl = file.Sections.Count(s => s.Kind == "KUBECTL");
        Assert.Equal(requests, file.Exchanges.Count);
        Assert.True(requests > 0 || kubectl > 0, "a transcript records at least one exchange");
        foreach (var e in file.Exchanges)
        {
            Assert.Matches("^(GET|POST|PUT|PATCH|DELETE)$", e.Request.Method);
            Assert.StartsWith("/", e.Request.Path);
            Assert.InRange(e.Response.StatusCode, 200, 599);
            if (!e.Response.IsStream && e.Response.Headers["Content-Type"] == "application/json")
                Assert.NotNull(e.Response.Json);
        }
    }

    [Fact]
    public void Paging_transcript_keeps_query_strings_and_continue_tokens()
    {
        var file = TranscriptDirectory.Load("pods-03-list-paging.txt");
        Assert.Equal(3, file.Exchanges.Count);
        Assert.Equal("limit=2", file.Exchange(0).Request.Query);
        var token = file.Exchange(0).Response.Json!["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal($"limit=2&continue={token}", file.Exchange(1).Request.Query);
        Assert.Equal("transcript-recorder/1.0", file.Exchange(0).Request.Headers["user-agent"]);
        Assert.Equal("chunked", file.Exchange(0).Response.Headers["Transfer-Encoding"]);
    }

    [Fact]
    public void Watch_transcript_yields_frames_end_of_stream_and_actions()
    {
        var file = TranscriptDirectory.Load("watch-01-namespace-bookmarks.txt");
        var watch = file.Exchange(1);
        Assert.True(watch.Response.IsStream);
        Assert.Equal(["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED", "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "BOOKMARK"],
            watch.Response.Frames.Select(f => f.Type));
        Assert.Equal("309", watch.Response.Frames[^1].ResourceVersion);
        Assert.Equal(60.365, watch.Response.Frames[8].AtSeconds, 3);
        Assert.Equal("BOOKMARK", watch.Response.Frames[8].Json["type"]!.GetValue<string>());
        Assert.StartsWith("end of stream: server ended the stream", watch.Response.EndOfStream);
        Assert.Contains("POST pod watch-demo", watch.Actions);
        Assert.Equal("", watch.Response.Body);
    }

    [Fact]
    public void Error_frame_without_kind_name_or_rv_parses()
    {
        var file = TranscriptDirectory.Load("watch-03-410-gone-after-compaction.txt");
        var frame = file.Find("older than anything").Response.Frames.Single();
        Assert.Equal("ERROR", frame.Type);
        Assert.Equal("", frame.ResourceVersion);
        Assert.Equal(410, frame.Json["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public void Webhook_calls_attach_to_the_exchange_that_caused_them_and_numbering_may_restart()
    {
        var file = TranscriptDirectory.Load("adm-04-review-dry-run-create.txt");
        var raw = file.Find("raw HTTP");
        Assert.Equal(1, raw.Request.Number);
        Assert.Equal("dryRun=All", raw.Request.Query);
        Assert.Equal(2, raw.WebhookCalls.Count);
        Assert.StartsWith("/", raw.WebhookCalls[0].Call.Path);
        Assert.Equal(200, raw.WebhookCalls[0].Answer.StatusCode);
        Assert.Contains(file.Sections, s => s.Kind == "KUBECTL");
    }

    [Fact]
    public void Yaml_and_malformed_bodies_are_kept_verbatim()
    {
        var ssa = TranscriptDirectory.Load("pods-08-patch-server-side-apply.txt");
        var yaml = ssa.Find("WITHOUT fieldManager").Request;
        Assert.StartsWith("apiVersion: v1\nkind: Pod", yaml.Body);
        Assert.Null(yaml.Json);
        var invalid = TranscriptDirectory.Load("errors-422-invalid.txt").Find("malformed JSON").Request;
        Assert.Equal("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"broken\"", invalid.Body);
    }

    [Fact]
    public void Response_without_request_is_rejected_with_file_and_line()
    {
        var e = Assert.Throws<FormatException>(() => TranscriptParser.Parse("bad.txt", "# t\n\n=== RESPONSE 1 ===\nHTTP/1.1 200 OK\n\n{}\n"));
        Assert.Contains("bad.txt:3", e.Message);
    }

    [Fact]
    public void Bad_status_line_is_rejected()
    {
        var text = "# t\n\n=== REQUEST 1 (x) ===\nGET / HTTP/1.1\n\n=== RESPONSE 1 ===\nnot a status line\n";
        Assert.Throws<FormatException>(() => TranscriptParser.Parse("bad.txt", text));
    }
}
