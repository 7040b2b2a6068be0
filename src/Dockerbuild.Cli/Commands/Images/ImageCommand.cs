using System.CommandLine;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary><c>dockerbuild image ls|rm|pull|push|tag|save|load|import|inspect|history|prune</c>, docker's management command.</summary>
internal sealed class ImageCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var command = new Command("image", "Manage images");
        ICliCommand[] children =
        [
            new ImagesCommand(host, "ls"), new RmiCommand(host, "rm"), new PullCommand(host), new PushCommand(host),
            new TagCommand(host), new SaveCommand(host), new LoadCommand(host), new ImportCommand(host),
            new InspectCommand(host), new HistoryCommand(host), new PruneCommand(host),
        ];
        foreach (var child in children)
        {
            command.Add(child.Create());
        }

        return command;
    }
}
