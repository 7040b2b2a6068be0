using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>
/// Fuzz-style property: whatever damage is done to a real Dockerfile, the parser returns a tree or its
/// own located error, and never anything else. Seeded, so a failure can be replayed.
/// </summary>
public sealed class ParserMutationTests
{
    private const int Seed = 20_261_125;
    private const int Documents = 6_000;

    private static readonly string[] Insertions =
    [
        "\"", "'", "\\", "`", "[", "]", "{", "}", "<<", "<<-", "3<<", "<<'", "\n", "\r\n", "#", "# escape=`\n",
        "=", "--", " ", "\t", "$", "${", "EOF", "\uFEFF", "\u00a0", "ONBUILD ", "RUN ", "ENV ", "\\\n", ",", "\"\\u",
    ];

    [Fact]
    public void MutatedCorpusFilesGiveATreeOrADockerfileException()
    {
        var seeds = SeedTexts();
        var random = new Random(Seed);
        var failures = new List<string>();
        int parsed = 0, rejected = 0;

        for (var document = 0; document < Documents && failures.Count < 5; document++)
        {
            var text = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                var syntax = DockerfileParser.Parse(text, "Dockerfile");
                _ = AstDump.Format(syntax);
                parsed++;
            }
            catch (DockerfileException error) when (error.InnerException is null && error.Span.StartLine >= 1 && error.Span.StartColumn >= 1)
            {
                rejected++;
            }
            catch (Exception error)
            {
                failures.Add($"document {document}: {error.GetType().Name}: {error.Message}\n--- text\n{text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // Both outcomes must occur, or the mutations are not exercising the parser.
        Assert.True(parsed > 0 && rejected > 0, $"{parsed} parsed, {rejected} rejected");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new List<char>(text);
        var mutations = random.Next(1, 9);
        for (var i = 0; i < mutations; i++)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < chars.Count:
                    chars.RemoveRange(at, Math.Min(random.Next(1, 6), chars.Count - at));
                    break;
                case 1 when at < chars.Count:
                    chars.InsertRange(at, chars.GetRange(at, Math.Min(random.Next(1, 40), chars.Count - at)));
                    break;
                case 2:
                    chars.Insert(at, (char)random.Next(0, 0x250));
                    break;
                default:
                    chars.InsertRange(at, Insertions[random.Next(Insertions.Length)]);
                    break;
            }
        }

        return new string(chars.ToArray());
    }

    // Small and varied inputs: BuildKit's golden files, the heredoc file and a slice of the real world.
    private static string[] SeedTexts()
    {
        var parserCases = Directory.GetFiles(Conformance.PathOf("buildkit-parser"), "Dockerfile", SearchOption.AllDirectories);
        var realWorld = RealWorldCorpus.Paths().Where((_, index) => index % 20 == 0);
        return parserCases.Concat(realWorld).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
    }
}
