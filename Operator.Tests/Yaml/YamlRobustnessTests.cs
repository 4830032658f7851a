using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Yaml;

/// <summary>Bad input must end in a <see cref="YamlException"/> (or a result), never in another exception.</summary>
public class YamlRobustnessTests
{
    private const string Seed = """
        apiVersion: v1
        kind: List
        items:
        - kind: Pod
          metadata: {name: "a", labels: {x: 'y'}}
          spec:
            containers:
            - name: c
              image: nginx
              args: [a, "b\u00e9", 'c''d']
              command: |
                echo hi
              env: &e
              - {name: A, value: "1"}
            initContainers: *e
        base: &b {k: v}
        merged:
          <<: *b
          text: >-
            folded
            lines
        ---
        - !!int 1
        - ~
        """;

    private const string Alphabet = " \n\t-:?,[]{}#&*!|>'\"%@`\\abc01.~<";

    [Fact]
    public void Mutated_manifests_fail_only_with_yaml_exceptions()
    {
        var random = new Random(20261122);
        int errors = 0;
        for (int i = 0; i < 3000; i++)
        {
            char[] text = Seed.ToCharArray();
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            string input = new(text, 0, random.Next(text.Length / 2, text.Length + 1));
            try
            {
                YamlToJson.ConvertAll(input, "fuzz.yaml");
            }
            catch (YamlException error)
            {
                errors++;
                Assert.True(error.Line >= 1 && error.Column >= 1, error.Message);
                Assert.StartsWith("fuzz.yaml:", error.Message);
            }
        }

        // The mutations are meant to break things: most inputs must have been rejected, not silently accepted.
        Assert.True(errors > 300, $"only {errors} of 3000 mutated inputs were rejected");
    }
}
