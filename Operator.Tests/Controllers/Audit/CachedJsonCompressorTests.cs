using System.Buffers;
using System.Text;
using SecurityOperator.Controllers.Audit;

namespace SecurityOperator.Tests.Controllers.Audit;

public class CachedJsonCompressorTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4f8b9c6-x2v9q","namespace":"team-a","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"registry.company.com/web:1.4.2","securityContext":{"privileged":true}},
                               {"name":"log-shipper","image":"registry.company.com/fluent-bit:2.2.0","securityContext":{"runAsNonRoot":true}}]}}
        """;

    // A pod as the API server fills it in, for one app; replicas differ in name and uid.
    private static byte[] Replica(string app, int replica) => Encoding.UTF8.GetBytes("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"APP-7d4f8b9c6-NNNNN","namespace":"team-a","uid":"UID",
         "labels":{"app":"APP","pod-template-hash":"7d4f8b9c6"}},
         "spec":{"volumes":[{"name":"kube-api-access-NNNNN","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
           {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}],"defaultMode":420}}],
          "containers":[{"name":"APP","image":"registry.company.com/APP:1.4.2","imagePullPolicy":"IfNotPresent",
           "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},
           "volumeMounts":[{"name":"kube-api-access-NNNNN","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
           "securityContext":{"runAsNonRoot":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}],
          "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default",
          "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                         {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]}}
        """.Replace("APP", app).Replace("NNNNN", replica.ToString("x5")).Replace("UID", Guid.NewGuid().ToString()));

    private static string Back(CachedJsonCompressor compressor, byte[] compressed) =>
        Encoding.UTF8.GetString(compressor.Decompress(compressed, new ArrayBufferWriter<byte>(16)));

    [Theory]
    [InlineData(Pod)]
    [InlineData("{}")]
    [InlineData("{\"name\":\"caf\\u00e9 \u2603\"}")]
    public void Gives_back_exactly_the_bytes_it_was_given_before_and_after_the_dictionary(string json)
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 4096, sampleWindow: 3);
        var bytes = Encoding.UTF8.GetBytes(json);

        var before = compressor.Compress(bytes, "owner-1");
        compressor.Compress(Replica("api", 1), "owner-2");
        compressor.Compress(Replica("db", 1), "owner-3");
        var after = compressor.Compress(bytes, "owner-1");

        Assert.True(compressor.DictionarySize > 0);
        Assert.Equal(json, Back(compressor, before));
        Assert.Equal(json, Back(compressor, after));
    }

    [Fact]
    public void Objects_like_the_sampled_ones_take_a_fraction_of_the_room_they_take_without_the_dictionary()
    {
        var compressor = new CachedJsonCompressor();
        var withoutDictionary = compressor.Compress(Replica("web", 0), "rs-web");
        foreach (var app in new[] { "api", "db", "cache", "worker", "gateway", "search" })
            compressor.Compress(Replica(app, 0), $"rs-{app}");
        Assert.Equal(0, compressor.DictionarySize); // still sampling: under three quarters of 32 KB

        for (var i = 0; compressor.DictionarySize == 0; i++) compressor.Compress(Replica($"app{i}", 0), $"rs-app{i}");
        var replica = Replica("web", 7);
        var withDictionary = compressor.Compress(replica, "rs-web");

        Assert.True(withDictionary.Length * 4 < withoutDictionary.Length, $"{withDictionary.Length} bytes with the dictionary, {withoutDictionary.Length} without");
        Assert.Equal(Encoding.UTF8.GetString(replica), Back(compressor, withDictionary));
    }

    [Fact]
    public void Replicas_of_one_owner_are_sampled_once()
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 64 * 1024, sampleWindow: 10);
        var first = Replica("web", 0);
        compressor.Compress(first, "rs-web");
        for (var i = 1; i < 10; i++) compressor.Compress(Replica("web", i), "rs-web");

        Assert.Equal(first.Length, compressor.DictionarySize);
    }

    [Fact]
    public void Objects_without_an_owner_are_each_sampled()
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 64 * 1024, sampleWindow: 3);
        var objects = new[] { Replica("a", 0), Replica("b", 0), Replica("c", 0) };
        foreach (var o in objects) compressor.Compress(o, owner: null);

        Assert.Equal(objects.Sum(o => o.Length), compressor.DictionarySize);
    }

    [Fact]
    public void One_object_larger_than_the_dictionary_neither_joins_it_nor_ends_the_sampling()
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 4096, sampleWindow: 100);
        var large = Encoding.UTF8.GetBytes($"{{\"data\":\"{new string('x', 10_000)}\"}}");

        var compressed = compressor.Compress(large, "big");
        Assert.Equal(0, compressor.DictionarySize);

        var i = 0;
        while (compressor.DictionarySize == 0) compressor.Compress(Replica($"app{i}", 0), $"rs-{i++}");
        Assert.InRange(compressor.DictionarySize, 4096 / 4 * 3, 4096);
        Assert.Equal(Encoding.UTF8.GetString(large), Back(compressor, compressed));
    }

    [Fact]
    public void The_sample_window_ends_the_sampling_of_a_kind_with_few_distinct_objects()
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 32 * 1024, sampleWindow: 5);
        for (var i = 0; i < 4; i++) compressor.Compress(Replica("web", i), "rs-web");
        Assert.Equal(0, compressor.DictionarySize);

        compressor.Compress(Replica("web", 4), "rs-web");

        Assert.True(compressor.DictionarySize > 0);
    }

    [Fact]
    public void A_large_object_round_trips_and_repetitive_JSON_takes_less_room()
    {
        var env = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"name\":\"VAR_{i}\",\"value\":\"value-{i % 7}\"}}"));
        var bytes = Encoding.UTF8.GetBytes($"{{\"spec\":{{\"containers\":[{{\"name\":\"app\",\"env\":[{env}]}}]}}}}");
        var compressor = new CachedJsonCompressor();

        var compressed = compressor.Compress(bytes, "owner");

        Assert.True(bytes.Length > 100_000);
        Assert.True(compressed.Length < bytes.Length / 4, $"{compressed.Length} of {bytes.Length} bytes");
        Assert.Equal(Encoding.UTF8.GetString(bytes), Back(compressor, compressed));
    }

    [Fact]
    public void A_reused_buffer_holds_only_the_last_object()
    {
        var compressor = new CachedJsonCompressor();
        var buffer = new ArrayBufferWriter<byte>();
        compressor.Decompress(compressor.Compress(Encoding.UTF8.GetBytes(Pod), "a"), buffer);

        var second = compressor.Decompress(compressor.Compress("{\"a\":1}"u8, "b"), buffer);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void Threads_compressing_and_reading_at_once_each_get_their_own_bytes_back()
    {
        var compressor = new CachedJsonCompressor(dictionaryBytes: 8192, sampleWindow: 20);
        var failures = 0;
        Parallel.For(0, 8, worker =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            for (var i = 0; i < 200; i++)
            {
                var json = Replica($"app{worker}", i);
                var back = compressor.Decompress(compressor.Compress(json, $"rs-{worker}-{i % 3}"), buffer);
                if (!back.SequenceEqual(json)) Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
        Assert.True(compressor.DictionarySize > 0);
    }

    [Fact]
    public void Truncated_bytes_are_an_error_that_says_what_failed()
    {
        var compressor = new CachedJsonCompressor();
        var compressed = compressor.Compress(Encoding.UTF8.GetBytes(Pod), "a")[..^8];

        var error = Assert.Throws<InvalidOperationException>(() => compressor.Decompress(compressed, new ArrayBufferWriter<byte>()));
        Assert.Contains("compressed JSON did not decompress to its", error.Message);
    }

    [Fact]
    public void A_damaged_header_is_an_error_not_a_guess()
    {
        var compressor = new CachedJsonCompressor();
        var compressed = compressor.Compress(Encoding.UTF8.GetBytes(Pod), "a");
        compressed[sizeof(int)] = 7;

        var error = Assert.Throws<InvalidOperationException>(() => compressor.Decompress(compressed, new ArrayBufferWriter<byte>()));
        Assert.Contains("has no valid header", error.Message);
        Assert.Throws<InvalidOperationException>(() => compressor.Decompress([1, 2], new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Bytes_that_claim_a_dictionary_this_cache_never_made_are_refused()
    {
        var sampled = new CachedJsonCompressor(dictionaryBytes: 4096, sampleWindow: 1);
        sampled.Compress(Replica("web", 0), "rs");
        var withDictionary = sampled.Compress(Replica("web", 1), "rs");

        var error = Assert.Throws<InvalidOperationException>(() => new CachedJsonCompressor().Decompress(withDictionary, new ArrayBufferWriter<byte>()));
        Assert.Contains("needs a dictionary", error.Message);
    }
}
