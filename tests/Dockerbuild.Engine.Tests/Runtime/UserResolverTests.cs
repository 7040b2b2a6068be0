using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>Expectations follow runc's user.GetExecUser as BuildKit calls it (oci.GetUser).</summary>
public sealed class UserResolverTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-users-");

    public UserResolverTests()
    {
        Directory.CreateDirectory(root.Combine("etc"));
        File.WriteAllText(root.Combine("etc", "passwd"), BusyboxRootfs.Passwd);
        File.WriteAllText(root.Combine("etc", "group"), BusyboxRootfs.Group);
    }

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("", 0u, 0u, "")]
    [InlineData("1000:1000", 1000u, 1000u, "")]
    [InlineData("root:root", 0u, 0u, "")]
    [InlineData("builder", 1000u, 1000u, "50,29")]
    [InlineData("1000", 1000u, 1000u, "50,29")]
    [InlineData("root", 0u, 0u, "10")]
    [InlineData("builder:staff", 1000u, 50u, "")]
    [InlineData("builder:4242", 1000u, 4242u, "")]
    [InlineData("4242", 4242u, 0u, "")]
    [InlineData("4242:builder", 4242u, 1000u, "")]
    public async Task ResolvesLikeBuildKit(string user, uint uid, uint gid, string supplementary)
    {
        var resolved = await UserResolver.ResolveAsync(root.Path, user, TestContext.Current.CancellationToken);

        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(gid, resolved.Gid);
        Assert.Equal(supplementary, string.Join(',', resolved.AdditionalGids));
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("builder:nogroup")]
    public async Task UnknownNamesAreErrors(string user)
    {
        await Assert.ThrowsAsync<UnknownUserException>(() => UserResolver.ResolveAsync(root.Path, user, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PasswdIsReadThroughSymlinksInsideTheRoot()
    {
        var etc = root.Combine("etc");
        Directory.Move(etc, root.Combine("real-etc"));
        File.CreateSymbolicLink(etc, "/real-etc");

        var resolved = await UserResolver.ResolveAsync(root.Path, "builder", TestContext.Current.CancellationToken);

        Assert.Equal(1000u, resolved.Uid);
    }
}
