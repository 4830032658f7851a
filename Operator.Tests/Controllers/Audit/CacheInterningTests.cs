using System.Text.Json;
using SecurityOperator.Controllers.Audit;

namespace SecurityOperator.Tests.Controllers.Audit;

public class CacheInterningTests
{
    [Fact]
    public void Equal_strings_come_back_as_one_instance()
    {
        var interning = new CacheInterning();
        var first = interning.String(new string("team-a"));

        var second = interning.String(new string("team-a"));

        Assert.Same(first, second);
        Assert.Equal("team-a", second);
        Assert.Null(interning.String(null));
    }

    [Fact]
    public void Long_strings_are_not_held()
    {
        var interning = new CacheInterning();
        var manifest = new string('x', CacheInterning.MaxLength + 1);

        Assert.Same(manifest, interning.String(manifest));
        Assert.NotSame(interning.String(new string(manifest)), manifest);
        Assert.Equal(0, interning.Count);
    }

    [Fact]
    public void A_map_is_copied_with_shared_keys_and_values_and_only_the_entries_kept()
    {
        var interning = new CacheInterning();
        var first = interning.Map(new Dictionary<string, string> { ["app"] = new string("web"), ["note"] = "x" }, key => key != "note")!;

        var second = interning.Map(new Dictionary<string, string> { [new string("app")] = new string("web") })!;

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, first);
        Assert.Same(first["app"], second["app"]);
        Assert.Same(first.Keys.Single(), second.Keys.Single());
        Assert.Null(interning.Map(new Dictionary<string, string> { ["note"] = "x" }, key => key != "note"));
        Assert.Null(interning.Map(null));
        var empty = new Dictionary<string, string>();
        Assert.Same(empty, interning.Map(empty));
    }

    [Fact]
    public void Equal_json_values_share_one_element()
    {
        var interning = new CacheInterning();
        using var a = JsonDocument.Parse("""{"ports":[{"name":"http","containerPort":8080}]}""");
        using var b = JsonDocument.Parse("""{"ports":[{"name":"http","containerPort":8080}]}""");
        var first = interning.Json(a.RootElement.GetProperty("ports").Clone());

        var second = interning.Json(b.RootElement.GetProperty("ports").Clone());
        var other = interning.Json(JsonDocument.Parse("""[{"name":"http","containerPort":9090}]""").RootElement.Clone());

        Assert.Equal(8080, second[0].GetProperty("containerPort").GetInt32());
        Assert.Equal(9090, other[0].GetProperty("containerPort").GetInt32());
        Assert.Equal(2, interning.Count);
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }

    [Fact]
    public void A_full_table_starts_over_and_values_already_handed_out_stay_valid()
    {
        var interning = new CacheInterning(capacity: 3);
        var kept = interning.String(new string("a"));
        interning.String("b");
        interning.String("c");

        interning.String("d");

        Assert.Equal(1, interning.Count);
        Assert.Equal("a", kept);
        Assert.NotSame(kept, interning.String(new string("a")));
    }
    [Fact]
    public void Maps_with_the_same_entries_in_any_order_are_one_instance_and_other_maps_are_not()
    {
        var interning = new CacheInterning();
        var first = interning.Map(new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "7d4f8b9c6" })!;

        var same = interning.Map(new Dictionary<string, string> { [new string("pod-template-hash")] = new string("7d4f8b9c6"), ["app"] = new string("web") });
        var other = interning.Map(new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "5c8d9e7f1" });
        var fewer = interning.Map(new Dictionary<string, string> { ["app"] = "web" });

        Assert.Same(first, same);
        Assert.NotSame(first, other);
        Assert.Equal("5c8d9e7f1", other!["pod-template-hash"]);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, fewer);
        Assert.Equal(5 + 3, interning.Count); // five distinct strings, three distinct maps
    }

    [Fact]
    public void A_keyed_value_is_held_once_per_key_and_of_its_own_type()
    {
        var interning = new CacheInterning(capacity: 3);
        var first = new List<string> { "a" };

        Assert.Same(first, interning.Value("view-1", first));
        Assert.Same(first, interning.Value("view-1", new List<string> { "a" }));
        var other = new List<string> { "b" };
        Assert.Same(other, interning.Value("view-2", other));
        // A value of another type under a taken key is not handed the held one.
        var text = new string('x', 3);
        Assert.Same(text, interning.Value("view-1", text));
        Assert.Same(text, interning.Value("view-1", new string('x', 3)));

        var fresh = new List<string> { "c" };
        interning.Value("view-3", fresh);
        Assert.Same(fresh, interning.Value("view-3", new List<string>()));
        var longKey = new string('k', CacheInterning.MaxLength * 4 + 1);
        var unheld = new List<string>();
        Assert.Same(unheld, interning.Value(longKey, unheld));
        Assert.NotSame(unheld, interning.Value(longKey, new List<string>()));
    }
}
