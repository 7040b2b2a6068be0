using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

/// <summary>Builds syntax nodes by hand, so the binder is tested apart from the grammar.</summary>
internal static class Nodes
{
    public const string FileName = "Dockerfile";

    public static InstructionNode Node(
        string keyword,
        string[] args,
        string[]? flags = null,
        bool json = false,
        Heredoc[]? heredocs = null,
        InstructionNode? next = null,
        int line = 1) =>
        new(
            keyword,
            flags ?? [],
            args,
            json,
            string.Join(' ', args),
            heredocs ?? [],
            next,
            new SourceSpan(FileName, line, 1, line, 1),
            $"{keyword} {string.Join(' ', (flags ?? []).Concat(args))}",
            []);

    /// <summary>A file whose nodes stand on lines 1, 2, 3 ... in the order given.</summary>
    public static DockerfileSyntax File(params InstructionNode[] nodes) =>
        new(
            FileName,
            [],
            '\\',
            nodes.Select((n, i) => n with { Span = new SourceSpan(FileName, i + 1, 1, i + 1, 1) }).ToList(),
            new SourceSpan(FileName, 1, 1, Math.Max(1, nodes.Length), 1));
}
