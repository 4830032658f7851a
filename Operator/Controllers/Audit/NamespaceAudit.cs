namespace SecurityOperator.Controllers.Audit;

/// <summary>Everything the background audit knows about one namespace after one pass.</summary>
public sealed record NamespaceAudit(string Namespace, long PolicyVersion, IReadOnlyList<ObjectAudit> Objects, IReadOnlyList<UnitAudit> Units);
