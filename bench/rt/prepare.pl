#!/usr/bin/perl
# Request Tracker side of the bench (see bench/README.md, "Request Tracker side by side"):
# switches the autoreply scrip off, creates a technician who is not a superuser (rights on the
# queue through a group, as a real help desk has it) and prints a REST2 auth token for them.
# Run by bench/rt/setup.sh after rt-setup-database-5 --action init.
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

my ($name, $password) = @ARGV;
die "usage: prepare.pl USER PASSWORD\n" unless $password;
my $system = RT->SystemUser;

# No autoreply to requesters: the creation figure is RT's own work, not an e-mail.
my $scrips = RT::Scrips->new($system);
$scrips->Limit(FIELD => 'Description', VALUE => 'On Create Autoreply To Requestors');
while (my $scrip = $scrips->Next) {
    my ($ok, $msg) = $scrip->SetDisabled(1);
    die "autoreply: $msg\n" unless $ok;
}

my $queue = RT::Queue->new($system);
$queue->Load('General') or die "no General queue\n";

my $group = RT::Group->new($system);
$group->LoadUserDefinedGroup('Bilgi Islem');
unless ($group->Id) {
    my ($ok, $msg) = $group->CreateUserDefinedGroup(Name => 'Bilgi Islem');
    die "group: $msg\n" unless $ok;
}
for my $right (qw(SeeQueue ShowTicket CreateTicket ModifyTicket ReplyToTicket CommentOnTicket
                  OwnTicket TakeTicket ShowTicketComments ShowOutgoingEmail Watch)) {
    $group->PrincipalObj->GrantRight(Right => $right, Object => $queue);
}
$group->PrincipalObj->GrantRight(Right => 'ManageAuthTokens', Object => RT->System);
$group->PrincipalObj->GrantRight(Right => 'ModifySelf', Object => RT->System);

my $user = RT::User->new($system);
$user->Load($name);
unless ($user->Id) {
    my ($ok, $msg) = $user->Create(
        Name         => $name,
        EmailAddress => "$name\@bench.example",
        RealName     => 'Bench Teknisyen',
        Privileged   => 1,
        Password     => $password,
    );
    die "user: $msg\n" unless $ok;
}
$group->AddMember($user->PrincipalId);

my $current = RT::CurrentUser->new($system);
$current->Load($name);
my $token = RT::AuthToken->new($current);
my ($id, $msg, $auth) = $token->Create(Owner => $current->Id, Description => 'bench');
die "token: $msg\n" unless $id;
print "$auth\n";
