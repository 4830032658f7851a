using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>A copy of a stored object for tests (Seed, Get and List return these): changing it changes nothing stored.</summary>
public sealed record StoredObjectView(string Namespace, string Name, long ResourceVersion, JsonObject Object);
