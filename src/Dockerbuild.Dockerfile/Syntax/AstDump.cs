using System.Text;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Prints a syntax tree in the format of BuildKit's parser golden files (<c>Node.Dump</c>): one
/// <c>(keyword ["flags"] "args")</c> line per instruction, values quoted as Go's strconv.Quote does.
/// </summary>
public static class AstDump
{
    public static string Format(DockerfileSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var builder = new StringBuilder();
        foreach (var instruction in syntax.Instructions)
        {
            builder.Append('(');
            AppendNode(builder, instruction);
            builder.Append(")\n");
        }

        return builder.ToString();
    }

    // Unrolled over ONBUILD nesting: each level opens a parenthesis the end closes.
    private static void AppendNode(StringBuilder builder, InstructionNode instruction)
    {
        var depth = 0;
        for (InstructionNode? node = instruction; node is not null; node = node.Next)
        {
            var start = builder.Length;
            builder.Append(node.Name);
            if (node.Flags.Count > 0)
            {
                builder.Append(" [");
                for (var i = 0; i < node.Flags.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    GoQuote.Append(builder, node.Flags[i]);
                }

                builder.Append(']');
            }

            if (!InstructionArguments.Known.Contains(node.Name))
            {
                // BuildKit keeps an empty value node for instructions it does not know.
                builder.Append(" \"\"");
            }

            foreach (var arg in node.Args)
            {
                builder.Append(' ');
                GoQuote.Append(builder, arg);
            }

            TrimEndFrom(builder, start);
            if (node.Next is not null)
            {
                builder.Append(" (");
                depth++;
            }
        }

        builder.Append(')', depth);
    }

    // Go's Dump trims the text of each node, which only matters for a keyword ending in a Unicode space.
    private static void TrimEndFrom(StringBuilder builder, int start)
    {
        var end = builder.Length;
        while (end > start && char.IsWhiteSpace(builder[end - 1]))
        {
            end--;
        }

        builder.Length = end;
    }
}
