using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// Binds a parsed Dockerfile to typed instructions grouped in stages, as BuildKit's instructions.Parse
/// does: ARGs before the first FROM are global, every FROM starts a stage, and any other instruction
/// before the first FROM is an error. Every error is a <see cref="DockerfileException"/> at the
/// instruction's span.
/// </summary>
public static class DockerfileBinder
{
    public static BoundDockerfile Bind(DockerfileSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var globalArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        FromInstruction? from = null;
        List<Instruction>? current = null;

        foreach (var node in syntax.Instructions)
        {
            var instruction = InstructionBinder.Bind(node);
            switch (instruction)
            {
                case FromInstruction f:
                    Close();
                    from = f;
                    current = [];
                    break;
                case ArgInstruction arg when current is null:
                    globalArgs.Add(arg);
                    break;
                default:
                    if (current is null)
                    {
                        throw new DockerfileException(
                            node.Span,
                            $"no build stage in current context: {instruction.Name} must come after a FROM (only ARG may come before the first FROM)");
                    }

                    current.Add(instruction);
                    break;
            }
        }

        Close();
        if (stages.Count == 0)
        {
            throw new DockerfileException(syntax.Span, "the Dockerfile has no FROM instruction, so there is no stage to build");
        }

        return new BoundDockerfile(globalArgs, stages, syntax.Directives, syntax.EscapeToken, syntax.File);

        void Close()
        {
            if (from is not null && current is not null)
            {
                stages.Add(new Stage(from.StageName?.ToLowerInvariant(), stages.Count, from.BaseName, from.Platform, current, from.Span));
            }
        }
    }
}
