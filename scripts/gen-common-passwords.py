#!/usr/bin/env python3
"""Writes data/common-passwords.txt: passwords that a guesser tries first.

Nothing here is copied from a leaked password dump. The list is built from patterns that
are public knowledge about weak passwords: keyboard walks, digit runs and repeats, dictionary
words and names with the usual suffixes (123, 888, 520, 1314, a year, @123 …), the pinyin
words and surnames that Chinese users favour, and the "complex-looking" defaults that pass
composition rules (P@ssw0rd, Admin@123, 1qaz@WSX). duikou compares a new password with it
case-insensitively (so Password123 is caught by password123), and only entries of at least
8 characters are kept, since shorter passwords are refused by length anyway. Structural
rules in src/service/auth.c also refuse any single repeated character, any ascending or
descending run (12345678, abcdefgh) and any YYYYMMDD date, so those are not listed.

Usage: python3 scripts/gen-common-passwords.py > data/common-passwords.txt
"""
import sys

MIN_LEN = 8

# English words and names that head every published weak-password ranking.
ENGLISH = """password passwd passport qwerty admin administrator root welcome letmein iloveyou
monkey dragon master shadow sunshine princess football baseball basketball soccer superman
batman spiderman trustno1 whatever freedom starwars computer internet michael jennifer jordan
hello charlie login secret guest default changeme love lovely angel killer hunter ranger
buster tigger pepper ginger summer winter spring autumn flower cookie chocolate pokemon
naruto matrix mustang harley liverpool chelsea arsenal google facebook apple samsung huawei
xiaomi tencent baidu alibaba taobao wechat weixin china system server database oracle mysql
manager office company user public private access security network test testing demo
sample temp temporary backup service support qwer asdf zxcv abc abcd abcde abcdef
hello world helloworld iloveu loveyou family friend friends happy lucky money power
golden silver diamond player gamer game games music secure pass mypass mypassword
passw0rd p@ssw0rd p@ssword pa$$word passwort motdepasse contrasena senha parola
welcome1 sysadmin sysadm webadmin webmaster operator supervisor guest1 user1 admin1
""".split()

# Pinyin words and phrases common in Chinese passwords (我爱你, 一生一世, 发财 …).
PINYIN = """woaini woaiwojia woaiyou wodemima mima mimamima zhongguo zhonghua beijing shanghai
nihao nihaoma laopo laogong baobao baobei xiaobao xiaoming xiaohong wangwang haha hehe
xiexie kuaile xingfu pingan facai fadacai gongxifacai wanshiruyi yiqiefanshun yishengyishi
tiantian xiaoxiao lele meimei gege jiejie didi wode wodeai aiqing aini woshishui
zhangwei wangwei wangfang liwei wangjing lina zhangli liuwei wangxiuying zhangmin lijing
zhangsan lisi wangwu zhaoliu xiaozhang xiaowang xiaoli xiaoliu xiaochen shifu laoshi
tongxue pengyou qinqin aiai yangyang huanhuan jingjing lili nana tingting
dalian liaoning jiangsu nanjing shenyang wuxi suzhou panjin changzhou xuzhou yangzhou
anshan fushun benxi dandong jinzhou yingkou fuxin liaoyang tieling chaoyang huludao
nantong lianyungang huaian yancheng zhenjiang taizhou suqian guangzhou shenzhen
tianjin chongqing hangzhou wuhan chengdu xian zhengzhou harbin changchun jinan qingdao
duikou hezuo duikouhezuo zhengfu bangongshi fagaiwei
""".split()

# The hundred commonest surnames, in pinyin.
SURNAMES = """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo
zheng liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu
du ye cheng wei su lv ding ren shen yao lu cui zhong tan fan jin shi liao jia xia fu fang
bai zou meng xiong qin qiu yin xue yan duan lei hou long tao gu mao hao gong shao wan qian
dai mo kong xiang chang kang niu""".split()

NUMERIC_SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678",
                    "123456789", "0", "00", "01", "11", "111", "520", "521", "666", "888",
                    "999", "1314", "5201314", "88", "99", "007", "000", "2008", "168"]
SYMBOL_SUFFIXES = ["!", "@", "#", ".", "@123", "#123", "!@#", "123!", "123.", "@1234",
                   "@123456", "!123", "123@", "_123", "*123", "123!@#", "!@#$", "@@"]
YEARS = [str(y) for y in range(1970, 2031)]
# Words that people pair with a year, often behind an @ to pass composition rules.
YEAR_WORDS = """password passw0rd p@ssw0rd admin root welcome qwerty abc abcd test user
system china huawei duikou woaini love hello summer winter spring autumn
beijing shanghai dalian liaoning jiangsu nanjing shenyang""".split()


def keyboard_walks():
    rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
            "!@#$%^&*()", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
            "qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p",
            "q1w2e3r4t5y6u7i8o9p0", "zaq1xsw2cde3vfr4bgt5", "!qaz@wsx#edc$rfv",
            "1qaz@wsx3edc$rfv", "qweasdzxc", "147258369", "741852963", "963852741",
            "789456123", "159753", "qwertyuiopasdfghjklzxcvbnm"]
    out = set()
    for row in rows:
        for rev in (row, row[::-1]):
            for n in range(MIN_LEN, len(rev) + 1):
                out.add(rev[:n])
    # Common combinations of short walks and digits.
    short = ["qwe", "qwer", "asd", "asdf", "zxc", "zxcv", "qaz", "wsx", "1qaz", "2wsx",
             "abc", "abcd", "aaa", "aa", "a", "q", "qq", "ww", "zz", "xx"]
    nums = ["123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "111",
            "888", "666", "520", "1314", "321", "4321", "654321"]
    for s in short:
        for n in nums:
            out.add(s + n)
            out.add(n + s)
            out.add(s + "@" + n)
            out.add(s + "!" + n)
            out.add(s + n + "!")
            out.add(s + n + "@")
            out.add(s + n + ".")
    for w in ["qweasd", "qweasdzxc", "asdqwe", "zxcasd", "qazwsx", "qazwsxedc", "zaq12wsx",
              "1qaz2wsx", "1q2w3e4r", "1q2w3e", "q1w2e3r4", "a1b2c3d4", "a1s2d3f4",
              "1a2b3c4d", "qwer1234", "1234qwer", "asdf1234", "1234asdf", "zxcv1234",
              "qwerasdf", "asdfqwer", "qwerasdfzxcv", "abcd1234", "abc123abc"]:
        for suf in ["", "!", "@", "#", "123", "!@#", "@123", "."]:
            out.add(w + suf)
    return out


def digit_patterns():
    out = set()
    for a in "0123456789":
        for b in "0123456789":
            if a != b:
                for n in range(MIN_LEN // 2, 7):
                    out.add((a + b) * n)
                out.add(a * 2 + b * 2 + a * 2 + b * 2)
                out.add(a * 4 + b * 4)
                out.add(a * 3 + b * 3 + a * 2)
    for chunk in ["123", "1234", "12345", "321", "4321", "520", "1314", "5201314", "147",
                  "258", "369", "159", "753", "456", "789", "246", "135", "888", "666",
                  "168", "518", "918", "110", "119", "120", "007"]:
        for rep in range(2, 5):
            s = chunk * rep
            if MIN_LEN <= len(s) <= 16:
                out.add(s)
    for s in ["11223344", "1122334455", "112233445566", "12341234", "123123123",
              "123321123", "12344321", "1234554321", "123454321", "1234567890",
              "0123456789", "9876543210", "13145200", "1314520520", "52013145", "520131400",
              "5201314520", "1314521", "13141314", "52052052", "147258369", "147852369",
              "159357456", "159753456", "123654789", "987654321", "123789456", "456123789",
              "741258963", "963258741", "100200300", "1357924680", "246813579", "11235813",
              "31415926", "314159265", "3141592653", "27182818", "66668888", "88886666",
              "16888888", "18888888", "68686868", "12312312", "10101010", "01010101",
              "20082008", "19491001", "19491949", "8888888888", "6666666666"]:
        out.add(s)
    for y in range(1950, 2031):
        out.add(str(y) * 2)
        out.add(str(y) + "0101")
        out.add(str(y) + "1234")
        out.add(str(y) + "520")
        out.add(str(y) + "1314")
    return out


def main():
    out = set()
    for w in ENGLISH + PINYIN:
        for s in NUMERIC_SUFFIXES + SYMBOL_SUFFIXES:
            out.add(w + s)
        out.add(w + w)
        out.add(w[::-1])
    for w in SURNAMES:
        for s in ["123456", "12345678", "123456789", "888888", "666666", "1234567",
                  "5201314", "1314", "520", "888", "@123", "123456@", "1234", "12345"]:
            out.add(w + s)
    for w in YEAR_WORDS:
        for y in YEARS:
            out.add(w + y)
            out.add(w + "@" + y)
    # Complex-looking defaults that pass upper/lower/digit/symbol rules.
    for base in ["admin", "root", "test", "user", "guest", "system", "huawei", "welcome",
                 "password", "passw0rd", "p@ssw0rd", "p@ssword", "changeme", "qwer", "asdf",
                 "abc", "abcd", "aa", "qq", "a", "q", "server", "oracle", "mysql", "manager",
                 "sa", "sys", "db", "web", "oa", "duikou"]:
        for suf in ["@123", "@1234", "@12345", "@123456", "@2023", "@2024", "@2025",
                    "@2026", "#123", "!123", "123!", "123@", "123#", "12#$", "12!@",
                    "1234!", "1234@", "!@#123", "@123!", "_123", "_admin", "@admin", "@888",
                    "@666", "@520", "@1314", "!@#$", "!@#$%", "123!@#", "1234!@#$",
                    "123456!", "123456@", "@123456789"]:
            out.add(base + suf)
    out |= keyboard_walks()
    out |= digit_patterns()
    lines = sorted(s for s in {x.lower() for x in out} if len(s) >= MIN_LEN)
    sys.stdout.write("".join(s + "\n" for s in lines))


if __name__ == "__main__":
    main()
