namespace SecurityOperator.Kube.Client;

/// <summary>A 2xx answer whose body is not the JSON the request expects (a proxy's HTML page, a truncated body, a type
/// mismatch). Names the request and the JSON path where decoding failed.</summary>
public sealed class KubeResponseFormatException(string message, Exception? inner = null) : Exception(message, inner);
