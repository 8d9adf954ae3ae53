#!/usr/bin/env python3
"""Composes data/common-passwords.txt: the passwords refused as too common (ASVS 2.1.7).

No breach corpus could be downloaded where this was written, so the list is composed, not
copied: (1) passwords that appear at the top of widely published "most common passwords"
rankings (international and Chinese, e.g. 123456, password, 5201314, woaini1314), typed from
memory; (2) the patterns those rankings are made of — digit runs, repeated characters,
keyboard walks, common words and names followed by digits, years or dates, pinyin phrases.
Run it again to regenerate the file (deterministic, sorted, lowercase, one per line).
The server compares case-insensitively, so only lowercase forms are listed.
"""
import itertools
from pathlib import Path

TOP = """
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball
abc123 football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang
1234567890 michael 654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer
trustno1 jordan jennifer zxcvbnm asdfgh hunter buster soccer harley batman andrew tigger
sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233
george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777
pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole
chelsea biteme matthew access yankees 987654321 dallas austin thunder taylor matrix
william corvette hello martin heather secret merlin diamond 1234qwer gfhjkm hammer silver
222222 88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange
11111 golfer cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky
snoopy maverick phoenix camaro peanut morgan welcome falcon cowboy ferrari samsung andrea
smokey steelers joseph mercedes dakota arsenal eagles melissa boomer booboo spider nascar
monster tigers yellow xxxxxx 123123123 gateway marina diablo bulldog qwer1234 compaq purple
hardcore banana junior hannah 123654 porsche lakers iceman money cowboys 987654 london
tennis 999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4 brandon yamaha chester
mother forever johnny edward 333333 oliver redsox player nikita knight fender barney
midnight please brandy chicago badboy slayer rangers charles angel flower bigdaddy rabbit
wizard bigdick jasper enter rachel chris steven winner adidas victoria natasha 1q2w3e4r
jasmine winter prince panties marine ghbdtn fishing cocacola casper james 232323 raiders
888888 marlboro gandalf asdfasdf crystal 87654321 12344321 golden 8675309 qwerty123
1q2w3e4r5t password1 password123 admin admin123 root toor administrator changeme default
guest user login welcome1 welcome123 passw0rd p@ssw0rd p@ssword pa55word abcd1234 abc12345
a123456 a12345678 aa123456 qq123456 123456a 123456abc 5201314 1314520 woaini woaini1314
woaini520 iloveyou1314 wangyuan zhang123 li123456 wang123456 caonima nihao nihao123
tiantian xiaoming xiaohong zhangwei wangwei liwei liuyang ZhangSan lisi wangwu 147258369
147258 159357 258369 369258147 123456789a 1234560 1234567a 12345qwert qwe123 asd123 zxc123
1qazxsw2 qazwsxedc qweasdzxc asdfghjkl zxcvbnm123 abcdefg abcdef abcdefgh abcdefghij
aaaaaaaa 00000000 66666666 99999999 12121212 11223344 520520 521521 5211314 1314521
woaini123 woaini521 wo5201314 aini1314 iloveu 7758521 7758258 584520 520131 hao123
qq123456789 aptx4869 dearbook xiaoxiao qingqing tingting lilili zhongguo china123 beijing
shanghai shenzhen guangzhou chengdu tianjin wuhan hangzhou nanjing chongqing huawei xiaomi
baidu taobao alibaba tencent weixin wechat qqqqqq woshishui wocaonima zxcvbnm1 1qaz2wsx3edc
qwertyui asdfghjk 1q2w3e 1q2w3e4r5t6y qwerty12 qwerty1 qwertyu 12qwaszx 1qaz@wsx
Aa123456 aa123456789 abc123456 123abc 123456qwe admin888 admin1234 root123 test123 test1234
sunshine1 princess1 football1 baseball1 monkey1 dragon1 shadow1 master1 superman1 batman1
iloveyou1 iloveyou2 letmein1 trustno1 michael1 jordan23 charlie1 starwars1 pokemon
naruto minecraft fortnite roblox pikachu doraemon hellokitty snoopy1 qwertz azerty
"""

WORDS = """
password passw0rd admin administrator root user guest test welcome letmein qwerty
iloveyou loveyou love monkey dragon master shadow sunshine princess football baseball
soccer superman batman michael jordan charlie summer winter spring autumn freedom secret
hello hellokitty computer internet system server database default changeme manager
office company school student teacher police doctor family friend forever together
happy lucky money dollar golden silver diamond flower angel baby honey sweet cookie
china beijing shanghai shenzhen guangzhou zhongguo huawei xiaomi taobao baidu tencent
woaini woaiwojia woainima woaiwoma woaini1314 aini wangyi wangwei zhangwei zhangsan
lisi wangwu liuyang lijun wangfang wangjing liwei lina zhangmin liuwei chenjie
yangyang huanghe changjiang tiananmen zhonghua gongchandang dangyuan cunweihui
jiceng zhili cunmin cunzhang shuji nongcun xiangcun zhenzhengfu
grassroots village village123 cadre
""".split()

SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678",
            "123456789", "!", "1!", "123!", "@123", "#123", "520", "521", "1314", "5201314",
            "888", "666", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "000",
            "111", "007", "01", "001", "99", "88"]

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "qazwsxedcrfv",
            "zaq12wsx", "1qazxsw23edc", "qweasdzxc", "qwerasdfzxcv", "qwertasdfgzxcvb",
            "poiuytrewq", "lkjhgfdsa", "mnbvcxz", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6",
            "!qaz@wsx", "!qaz2wsx", "1qaz!qaz", "qazwsx123", "asdf1234", "zxcv1234",
            "qwer1234", "1234qwer", "1234asdf", "qwerty123456", "qwertyuiop123",
            "asdfghjkl123", "zxcvbnm123456", "abcdefghijklmnop", "abcdefghijkl",
            "abcd1234abcd", "abc123abc123", "aaa111bbb222"]


def digit_runs():
    out = set()
    up = "12345678901234567890"
    down = "98765432109876543210"
    for n in range(4, 21):
        out.add(up[:n])
        out.add(down[:n])
        out.add(up[1:1 + n])
        out.add(down[1:1 + n])
        for d in "0123456789":
            out.add(d * n)
    for a, b in itertools.product("0123456789", repeat=2):
        for reps in range(3, 9):
            out.add((a + b) * reps)
    for base in ["123", "1234", "12345", "123456", "520", "521", "1314", "5201314", "147",
                 "159", "258", "369", "789", "abc", "qwe", "asd", "zxc", "aa", "ab"]:
        for reps in range(2, 5):
            out.add(base * reps)
    return out


def dates():
    out = set()
    for y in range(1950, 2031):
        out.add(str(y))
        out.add(f"{y}{y}")
        for m in (1, 6, 8, 10, 12):
            for d in (1, 8, 18, 28):
                out.add(f"{y}{m:02d}{d:02d}")
    return out


def main():
    words = set(w.lower() for w in TOP.split())
    words |= set(KEYBOARD)
    words |= digit_runs()
    words |= dates()
    for w in WORDS:
        for s in SUFFIXES:
            words.add(w + s)
        words.add(w + w)
        for y in range(1980, 2027, 1):
            words.add(f"{w}{y}")
    for w in ["5201314", "1314520", "woaini", "iloveyou", "password", "qwerty", "admin"]:
        for s in ["5201314", "1314", "520", "123456789", "000000", "888888", "666666"]:
            words.add(w + s)
    words = sorted(w for w in words if 4 <= len(w) <= 64 and w.isascii())
    header = [
        "# Passwords refused as too common (grassroots, ASVS 2.1.7).",
        "# Composed by scripts/common-passwords.py from widely published top-password",
        "# rankings and the patterns they consist of; not copied from a breach corpus.",
        f"# {len(words)} entries, lowercase, compared case-insensitively.",
    ]
    path = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
    path.write_text("\n".join(header + words) + "\n")
    long = sum(1 for w in words if len(w) >= 12)
    print(f"{path}: {len(words)} entries ({long} of 12 characters or more)")


if __name__ == "__main__":
    main()
