using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Yaml;

/// <summary>Real kube-apiserver v1.28 exchanges (shared/k8s-api-transcripts): every JSON body must convert through the
/// YAML reader to the same JSON (JSON is YAML flow syntax), and the YAML apply bodies must convert cleanly.</summary>
public class YamlTranscriptTests
{
    /// <summary>GUIDE.md puts the transcripts at &lt;repo&gt;/../shared/k8s-api-transcripts; worktrees sit deeper, so
    /// every ancestor of the test binary is tried.</summary>
    private static string TranscriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "k8s-api-transcripts");
            if (File.Exists(Path.Combine(candidate, "INDEX.md")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/k8s-api-transcripts not found above " + AppContext.BaseDirectory);
    }

    /// <summary>(file, content type, body) of every request and response with a body.</summary>
    private static IEnumerable<(string File, string ContentType, string Body)> Bodies()
    {
        foreach (string file in Directory.GetFiles(TranscriptDirectory(), "*.txt").Order(StringComparer.Ordinal))
        {
            string[] sections = File.ReadAllText(file).Replace("\r\n", "\n").Split("\n=== ");
            foreach (string section in sections.Skip(1))
            {
                int headersEnd = section.IndexOf("\n\n", StringComparison.Ordinal);
                if (headersEnd < 0)
                {
                    continue;
                }

                string headers = section[..headersEnd];
                string body = section[(headersEnd + 2)..].Trim('\n');
                string? contentType = headers.Split('\n')
                    .FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim();
                if (body.Length > 0 && contentType is not null)
                {
                    yield return (Path.GetFileName(file), contentType, body);
                }
            }
        }
    }

    [Fact]
    public void Json_bodies_convert_to_equal_json()
    {
        int compared = 0;
        foreach ((string file, string contentType, string body) in Bodies())
        {
            if (!contentType.StartsWith("application/json", StringComparison.Ordinal) || !IsSingleJsonValue(body))
            {
                continue; // watch streams hold one JSON object per line; other bodies are not JSON
            }

            YamlDocumentJson document = Assert.Single(YamlToJson.ConvertAll(body, file));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(document.Json)), $"{file}: JSON differs after conversion");
            compared++;
        }

        Assert.True(compared >= 50, $"only {compared} JSON bodies found");
    }

    [Fact]
    public void Yaml_apply_bodies_convert_to_objects()
    {
        int converted = 0;
        foreach ((string file, string contentType, string body) in Bodies())
        {
            if (!contentType.Contains("yaml", StringComparison.Ordinal))
            {
                continue;
            }

            YamlDocumentJson document = Assert.Single(YamlToJson.ConvertAll(body, file));
            using JsonDocument parsed = JsonDocument.Parse(document.Json);
            Assert.Equal("v1", parsed.RootElement.GetProperty("apiVersion").GetString());
            Assert.False(string.IsNullOrEmpty(parsed.RootElement.GetProperty("metadata").GetProperty("name").GetString()));
            converted++;
        }

        Assert.True(converted >= 1, "no YAML bodies found");
    }

    private static bool IsSingleJsonValue(string body)
    {
        try
        {
            using JsonDocument _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
