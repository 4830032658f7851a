using SecurityOperator.Hosting;

namespace SecurityOperator.Tests.Hosting;

public sealed class OperationalDocumentsTests
{
    [Fact]
    public void A_registered_document_answers_its_body_503_until_it_has_one_and_other_paths_are_not_its_business()
    {
        var documents = new OperationalDocuments();
        string? body = null;
        documents.Register("/compliance/cis.json", "application/json", () => body);
        Assert.Equal(503, documents.Answer("/compliance/cis.json")!.Value.Code);
        body = "{}";
        Assert.Equal((200, "application/json", "{}"), documents.Answer("/compliance/cis.json")!.Value);
        Assert.Null(documents.Answer("/other"));
        Assert.Throws<ArgumentException>(() => documents.Register("relative", "text/plain", () => ""));
    }
}
