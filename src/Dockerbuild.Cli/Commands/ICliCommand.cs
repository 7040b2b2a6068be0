using System.CommandLine;

namespace Dockerbuild.Cli.Commands;

/// <summary>One <c>dockerbuild</c> subcommand. Its action writes to the invocation's Output and Error.</summary>
internal interface ICliCommand
{
    Command Create();
}
