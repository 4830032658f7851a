using BenchmarkDotNet.Attributes;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Benchmarks;

/// <summary>Evaluation against the built-in set (PSS restricted at latest + the design's production rules).</summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private readonly CompiledPolicySet _set = DefaultPolicySet.Set;
    private readonly PodFacts _facts = new();
    private readonly ViolationBuffer _violations = new();
    private readonly byte[] _pod3 = BenchmarkInputs.Pod(3);
    private readonly byte[] _pod20 = BenchmarkInputs.Pod(20);
    private readonly byte[] _violating = BenchmarkInputs.Pod(3, violating: true);
    private readonly byte[] _deployment = BenchmarkInputs.Deployment(3);
    private readonly byte[] _policy50 = BenchmarkInputs.FiftyRulePolicy();

    [GlobalSetup]
    public void CheckInputs()
    {
        // Fail fast if an input stops meaning what its benchmark name says.
        if (PolicyEvaluator.Evaluate(_pod3, _set, _facts, _violations).ViolationCount != 0) throw new InvalidOperationException("3-container pod must be clean");
        if (PolicyEvaluator.Evaluate(_pod20, _set, _facts, _violations).ViolationCount != 0) throw new InvalidOperationException("20-container pod must be clean");
        if (PolicyEvaluator.Evaluate(_deployment, _set, _facts, _violations).ViolationCount != 0) throw new InvalidOperationException("deployment must be clean");
        if (PolicyEvaluator.Evaluate(_violating, _set, _facts, _violations).ViolationCount == 0) throw new InvalidOperationException("violating pod must violate");
        if (!PolicyCompiler.Compile(_policy50).Succeeded) throw new InvalidOperationException("50-rule policy must compile");
    }

    /// <summary>The floor: one bare Utf8JsonReader pass over the same 3-container pod (no work at all), measured in the
    /// same run so that results on a loaded machine can be compared.</summary>
    [Benchmark]
    public int JsonReaderPassOnly()
    {
        var reader = new System.Text.Json.Utf8JsonReader(_pod3);
        var tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }

    /// <summary>The evaluator's own tokenizer over the same pod: the floor of an evaluation since it reads with it.</summary>
    [Benchmark]
    public int JsonScannerPassOnly()
    {
        var scanner = new SecurityOperator.Utf8Json.JsonScanner(_pod3);
        var tokens = 0;
        while (scanner.Read()) tokens++;
        return tokens;
    }

    [Benchmark(Baseline = true)]
    public int Pod3Containers() => PolicyEvaluator.Evaluate(_pod3, _set, _facts, _violations).ViolationCount;

    [Benchmark]
    public int Pod20Containers() => PolicyEvaluator.Evaluate(_pod20, _set, _facts, _violations).ViolationCount;

    [Benchmark]
    public int ViolatingPod() => PolicyEvaluator.Evaluate(_violating, _set, _facts, _violations).ViolationCount;

    /// <summary>A violating pod including the messages (what a denial costs end to end).</summary>
    [Benchmark]
    public int ViolatingPodFormatted()
    {
        var result = PolicyEvaluator.Evaluate(_violating, _set, _facts, _violations);
        return ViolationFormatter.FormatAll(_violations, _violating, result, _set, _facts).Count;
    }

    [Benchmark]
    public int Deployment3Containers() => PolicyEvaluator.Evaluate(_deployment, _set, _facts, _violations).ViolationCount;

    [Benchmark]
    public int Compile50RulePolicy() => PolicyCompiler.Compile(_policy50).Policy!.Rules.Count;
}
