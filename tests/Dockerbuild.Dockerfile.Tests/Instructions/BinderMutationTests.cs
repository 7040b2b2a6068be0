using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Dockerfile.Tests.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

/// <summary>
/// Fuzz-style property for the stages after the grammar: real syntax trees with damaged keywords, flags
/// and arguments either bind (and the checks run on them) or fail with a located DockerfileException,
/// never anything else. Seeded, so a failure can be replayed.
/// </summary>
public sealed class BinderMutationTests
{
    private const int Seed = 20_261_125;
    private const int Documents = 4_000;

    private static readonly string[] Flags =
    [
        "--mount=type=cache,target=/x", "--mount=type=secret", "--mount=type=tmpfs,size=", "--mount=\"", "--mount=type=ssh,required=x",
        "--mount=from=$X", "--mount=type=cache,sharing=locked,mode=9,uid=-1,target=/c", "--mount", "--mount=", "--mount=,,,",
        "--from=", "--from=0", "--chmod=", "--chmod=99999999999999999999999", "--chmod=7777777777777777777777", "--chmod=u+", "--chown=$U", "--link=", "--link=maybe",
        "--network=", "--network=host", "--security=x", "--platform=", "--platform=$BUILDPLATFORM", "--interval=", "--interval=1x",
        "--timeout=0", "--start-period=-1s", "--retries=99999999999", "--retries=-0", "--checksum=", "--checksum=sha256:$X",
        "--unpack", "--parents", "--exclude=", "--keep-git-dir=true", "--", "-x", "--=", "---", "--FROM=x",
    ];

    private static readonly string[] Words =
    [
        "", " ", "AS", "as", "x", "1st", "=", "A=", "=b", "<<EOF", "<<-EOF", "<<", "$", "${", "${A:?oops}", "${A", "\"", "'",
        "NONE", "CMD", "ONBUILD", "FROM", "80/TCP", "80:90/udp", "/abs", "rel", "${TAG}", "scratch", "key value",
    ];

    [Fact]
    public void MutatedTreesBindOrFailWithADockerfileException()
    {
        var seeds = RealWorldCorpus.Paths().Where((_, i) => i % 10 == 0)
            .Select(p => DockerfileParser.Parse(File.ReadAllText(p), Path.GetFileName(p)))
            .ToArray();
        var random = new Random(Seed);
        var failures = new List<string>();
        int bound = 0, rejected = 0;

        for (var document = 0; document < Documents && failures.Count < 5; document++)
        {
            var syntax = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                _ = BuildChecks.Run(syntax, DockerfileBinder.Bind(syntax), new Dictionary<string, string> { ["TAG"] = "${" });
                bound++;
            }
            catch (DockerfileException e) when (e.Span.StartLine >= 1)
            {
                rejected++;
            }
            catch (Exception e)
            {
                failures.Add($"document {document}: {e.GetType().Name}: {e.Message}\n{string.Join('\n', syntax.Instructions.Select(Describe))}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(bound > 0 && rejected > 0, $"{bound} bound, {rejected} rejected");
    }

    private static DockerfileSyntax Mutate(DockerfileSyntax syntax, Random random)
    {
        var nodes = syntax.Instructions.ToList();
        var mutations = random.Next(1, 6);
        for (var i = 0; i < mutations && nodes.Count > 0; i++)
        {
            var at = random.Next(nodes.Count);
            nodes[at] = MutateNode(nodes[at], random);
        }

        return syntax with { Instructions = nodes };
    }

    private static InstructionNode MutateNode(InstructionNode node, Random random)
    {
        var args = node.Args.ToList();
        var flags = node.Flags.ToList();
        switch (random.Next(7))
        {
            case 0:
                var keywords = InstructionBinder.Keywords;
                var keyword = keywords[random.Next(keywords.Length)];
                return node with
                {
                    Keyword = random.Next(3) == 0 ? keyword.ToLowerInvariant() : keyword,
                    Next = keyword == "ONBUILD" ? node with { Next = null } : node.Next,
                };
            case 1:
                flags.Insert(random.Next(flags.Count + 1), Flags[random.Next(Flags.Length)]);
                break;
            case 2 when args.Count > 0:
                args.RemoveAt(random.Next(args.Count));
                break;
            case 3:
                args.Insert(random.Next(args.Count + 1), Words[random.Next(Words.Length)]);
                break;
            case 4 when args.Count > 0:
                args[random.Next(args.Count)] = Words[random.Next(Words.Length)];
                break;
            case 5:
                return node with { IsJsonForm = !node.IsJsonForm };
            default:
                return node with { Heredocs = [new Heredoc("EOF", 0, random.Next(2) == 0, false, "body\n")] };
        }

        return node with { Args = args, Flags = flags };
    }

    private static string Describe(InstructionNode node) =>
        $"{node.Keyword} [{string.Join(' ', node.Flags)}] {string.Join(" | ", node.Args)}{(node.Next is null ? "" : " -> " + Describe(node.Next))}";
}
