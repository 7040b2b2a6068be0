namespace Dockerbuild.Cli.Progress;

internal enum TransferDirection
{
    Pull,
    Push,
}
