using System.Text;
using System.Text.Json;
using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

public class WorkloadTemplatesTests
{
    private const string Template = "{\"metadata\":{\"labels\":{\"app\":\"w\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";

    private static string Located(string kind, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        TemplateLocation location = WorkloadTemplates.Locate(kind, bytes);
        Assert.Equal(TemplateStatus.Found, location.Status);
        return Encoding.UTF8.GetString(location.Slice(bytes));
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("ReplicaSet")]
    [InlineData("StatefulSet")]
    [InlineData("DaemonSet")]
    [InlineData("Job")]
    [InlineData("ReplicationController")]
    public void Controllers_use_spec_template(string kind)
    {
        // Decoys before the real template: a "template" outside spec and a nested "spec" that must be skipped whole.
        string json = "{\"apiVersion\":\"x\",\"kind\":\"" + kind + "\",\"template\":{\"decoy\":1},\"metadata\":{\"spec\":{\"template\":{}}},"
            + "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"template\":\"no\"}},\"template\":" + Template + ",\"after\":[1,2]}}";
        Assert.Equal(Template, Located(kind, json));
        Assert.True(WorkloadTemplates.IsWorkloadKind(kind));
    }

    [Fact]
    public void CronJob_uses_spec_jobTemplate_spec_template()
    {
        string json = "{\"kind\":\"CronJob\",\"spec\":{\"schedule\":\"* * * * *\",\"template\":{\"wrong\":true},\"jobTemplate\":{\"metadata\":{},\"spec\":{\"backoffLimit\":1,\"template\":"
            + Template + "}}}}";
        Assert.Equal(Template, Located("CronJob", json));
    }

    [Fact]
    public void Pod_is_its_own_template()
    {
        string json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]}}";
        Assert.Equal(json, Located("Pod", json));
    }

    [Fact]
    public void The_located_range_is_valid_json_in_a_larger_buffer()
    {
        string json = "{\"kind\":\"Deployment\",\"spec\":{\"template\":" + Template + "}}";
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        TemplateLocation location = WorkloadTemplates.Locate("Deployment", bytes);
        Assert.Equal(json.IndexOf("{\"metadata\"", StringComparison.Ordinal), location.Offset);
        using JsonDocument template = JsonDocument.Parse(bytes.AsMemory(location.Offset, location.Length));
        Assert.Equal("c", template.RootElement.GetProperty("spec").GetProperty("containers")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("ConfigMap")]
    [InlineData("Service")]
    [InlineData("PodTemplate")]
    [InlineData("deployment")]
    public void Other_kinds_are_not_workloads(string kind)
    {
        Assert.Equal(TemplateStatus.NotAWorkload, WorkloadTemplates.Locate(kind, "{\"spec\":{\"template\":{}}}"u8).Status);
        Assert.False(WorkloadTemplates.IsWorkloadKind(kind));
    }

    [Theory]
    [InlineData("Deployment", "{\"kind\":\"Deployment\",\"spec\":{\"replicas\":1}}")]
    [InlineData("Deployment", "{\"kind\":\"Deployment\"}")]
    [InlineData("Deployment", "{\"spec\":{\"template\":null}}")]
    [InlineData("Deployment", "{\"spec\":[]}")]
    [InlineData("CronJob", "{\"spec\":{\"jobTemplate\":{\"template\":{}}}}")]
    public void Workloads_without_a_template_object_are_reported(string kind, string json) =>
        Assert.Equal(TemplateStatus.MissingTemplate, WorkloadTemplates.Locate(kind, Encoding.UTF8.GetBytes(json)).Status);

    [Theory]
    [InlineData("Deployment", "{\"spec\":{\"template\":")]
    [InlineData("Deployment", "not json")]
    [InlineData("Pod", "[1]")]
    [InlineData("Pod", "{\"a\":")]
    public void Malformed_json_is_a_status_not_an_exception(string kind, string json) =>
        Assert.Equal(TemplateStatus.InvalidJson, WorkloadTemplates.Locate(kind, Encoding.UTF8.GetBytes(json)).Status);
}

public class WorkloadTemplatesAllocationTests
{
    [Fact]
    public void Locating_a_template_allocates_nothing()
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(
            "{\"kind\":\"CronJob\",\"metadata\":{\"name\":\"n\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"schedule\":\"* * * * *\",\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}}}}}");
        TemplateLocation warm = WorkloadTemplates.Locate("CronJob", json);
        Assert.Equal(TemplateStatus.Found, warm.Status);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < 1000; i++)
        {
            found += WorkloadTemplates.Locate("CronJob", json).Length > 0 ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, found);
        Assert.Equal(0, allocated);
    }
}
