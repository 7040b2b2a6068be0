using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

public sealed class RunMountsTests
{
    [Fact]
    public void BindIsTheDefaultTypeAndReadOnly()
    {
        var m = RunMounts.Parse("target=.");
        Assert.Equal((MountType.Bind, ".", true), (m.Type, m.Target, m.ReadOnly));
        Assert.False(RunMounts.Parse("type=bind,target=.,rw").ReadOnly);
        Assert.False(RunMounts.Parse("type=bind,target=.,readwrite=true").ReadOnly);
    }

    [Fact]
    public void BindTakesSourceAndFrom()
    {
        var m = RunMounts.Parse("type=bind,src=go.sum,dst=/app/go.sum,from=build");
        Assert.Equal(("go.sum", "/app/go.sum", "build"), (m.Source, m.Target, m.From));
        Assert.Equal("/x", RunMounts.Parse("destination=/x").Target);
    }

    [Fact]
    public void CacheTakesIdSharingAndOwnership()
    {
        var m = RunMounts.Parse("type=cache,id=gomod,target=/go/pkg/mod,sharing=locked,mode=0700,uid=1000,gid=1001,ro=false");
        Assert.Equal((MountType.Cache, "gomod", MountSharing.Locked, 0x1C0u, 1000u, 1001u, false),
            (m.Type, m.Id, m.Sharing, m.Mode, m.Uid, m.Gid, m.ReadOnly));
        Assert.False(RunMounts.Parse("type=cache,target=/c").ReadOnly);
        Assert.True(RunMounts.Parse("type=cache,target=/c,readonly").ReadOnly);
    }

    [Fact]
    public void TmpfsTakesASize()
    {
        var m = RunMounts.Parse("type=tmpfs,target=/tmp,size=64m");
        Assert.Equal((MountType.Tmpfs, 64L * 1024 * 1024, false), (m.Type, m.SizeBytes, m.ReadOnly));
        Assert.Equal(1024L, RunMounts.Parse("type=tmpfs,target=/t,size=1kib").SizeBytes);
    }

    [Fact]
    public void SecretTakesIdEnvAndRequired()
    {
        var m = RunMounts.Parse("type=secret,id=aws,target=/root/.aws/credentials,required=true,mode=0400");
        Assert.Equal((MountType.Secret, "aws", "/root/.aws/credentials", true, true), (m.Type, m.Id, m.Target, m.Required, m.ReadOnly));
        Assert.Equal("TOKEN", RunMounts.Parse("type=secret,id=t,env=TOKEN").Env);
    }

    [Fact]
    public void SshTakesIdAndRequired()
    {
        var m = RunMounts.Parse("type=ssh,id=default,required");
        Assert.Equal((MountType.Ssh, "default", true, null), (m.Type, m.Id, m.Required, m.Target));
    }

    [Fact]
    public void QuotedCsvFieldsMayHoldCommas() =>
        Assert.Equal("/a,b", RunMounts.Parse("type=bind,\"target=/a,b\"").Target);

    [Fact]
    public void ValuesWithVariablesAreKeptForTheBuild()
    {
        var m = RunMounts.Parse("type=cache,target=/root/.cache,id=lint-${TARGETNAME},mode=$MODE");
        Assert.Equal("lint-${TARGETNAME}", m.Id);
        Assert.Null(m.Mode);
        var expanded = RunMounts.Parse(m.Spec, word => word.Replace("${TARGETNAME}", "x", StringComparison.Ordinal).Replace("$MODE", "0755", StringComparison.Ordinal));
        Assert.Equal(("lint-x", 0x1EDu), (expanded.Id, expanded.Mode));
    }

    [Theory]
    [InlineData("type=cahce,target=/x", "unsupported mount type \"cahce\" (did you mean cache?)")]
    [InlineData("type=cache,traget=/x", "unexpected key 'traget' in 'traget=/x' (did you mean target?)")]
    [InlineData("type=bind,target=/x,from=$STAGE", "'from' doesn't support variable expansion, define alias stage instead")]
    [InlineData("type=cache,target=/x,sharing=all", "unsupported sharing value \"all\" (expected shared, private or locked)")]
    [InlineData("type=bind,target=/x,sharing=locked", "invalid cache sharing set for bind mount")]
    [InlineData("type=bind,target=/x,mode=0755", "mode not allowed for \"bind\" type mounts")]
    [InlineData("type=tmpfs,target=/x,uid=1", "uid not allowed for \"tmpfs\" type mounts")]
    [InlineData("type=cache,target=/x,mode=999", "invalid value 999 for mode")]
    [InlineData("type=cache,target=/x,required", "unexpected key 'required' for mount type 'cache'")]
    [InlineData("type=cache,target=/x,size=1m", "unexpected key 'size' for mount type 'cache'")]
    [InlineData("type=tmpfs,target=/x,size=lots", "invalid size value: lots")]
    [InlineData("type=bind,target=/x,env=A", "unexpected key 'env' for mount type 'bind'")]
    [InlineData("type=secret,from=x,id=a", "secret mount should not have a from")]
    [InlineData("type=secret", "invalid secret mount: one of id, source, target or env is required")]
    [InlineData("type=secret,id=a,src=b", "secret mount: both source and id can't be set")]
    [InlineData("type=bind,target=/x,ro=maybe", "invalid value for ro: maybe")]
    [InlineData("type=bind,target", "invalid field 'target' must be a key=value pair")]
    [InlineData("type=bind,ta\"rget=/x", "failed to parse csv mounts: bare \" in non-quoted-field in 'type=bind,ta\"rget=/x'")]
    public void InvalidMountsSayWhatIsWrong(string spec, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => RunMounts.Parse(spec)).Message);
}
