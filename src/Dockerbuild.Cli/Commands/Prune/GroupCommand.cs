using System.CommandLine;

namespace Dockerbuild.Cli.Commands.Prune;

/// <summary>A management command that only groups subcommands, as docker's <c>builder</c> and <c>system</c>.</summary>
internal sealed class GroupCommand(string name, string description, params ICliCommand[] children) : ICliCommand
{
    public Command Create()
    {
        var command = new Command(name, description);
        foreach (var child in children)
        {
            command.Add(child.Create());
        }

        return command;
    }
}
